import csv
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕斌建国建华志强志明海燕丹宇浩然子涵欣怡梓轩雨桐佳琪一诺思远文博"
ORGS = ["", "", "", "", "华联超市", "东方物业", "星河小区业主委员会", "恒信贸易有限公司", "市第一中学", "蓝天旅行社", "宏达建材"]


@dataclass
class Context:
    rng: random.Random
    months: int
    stdout: object
    ids: dict = field(default_factory=dict)
    days: int = 0  # the span of calls, complaints and found items; 0: ``months`` × 30 (attendance keeps months)

    def __post_init__(self):
        self.days = self.days or self.months * 30

    def say(self, text):
        if self.stdout:
            self.stdout.write(text)


def person_name(rng):
    given = GIVEN[rng.randrange(len(GIVEN))]
    if rng.random() < 0.6:
        given += GIVEN[rng.randrange(len(GIVEN))]
    return SURNAMES[rng.randrange(len(SURNAMES))] + given


def mobile(rng):
    return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"


def copy_rows(model, columns, rows, *, chunk=50000):
    """Insert ``rows`` (tuples in ``columns`` order) into ``model``'s table, fast. Returns the count. A NOT NULL column
    the generator does not name gets its field's default (a field added after the generator was written: Django keeps
    defaults in Python, so COPY would send NULL)."""
    table = model._meta.db_table
    n = 0
    if connection.vendor == "postgresql":
        named = set(columns)
        extra = [f for f in model._meta.concrete_fields
                 if f.column not in named and f.attname not in named and not f.null and not f.primary_key
                 and (f.has_default() or f.empty_strings_allowed) and not f.generated]
        if extra:
            columns = [*columns, *(f.column for f in extra)]
            defaults = tuple(f.get_default() for f in extra)
            rows = (tuple(row) + defaults for row in rows)
        cols = ", ".join(f'"{c}"' for c in columns)
        sql = f'COPY "{table}" ({cols}) FROM STDIN WITH (FORMAT csv, NULL \'\\N\')'
        with connection.cursor() as cursor:
            raw = cursor.cursor
            buf = io.StringIO()
            writer = csv.writer(buf)
            pending = 0
            for row in rows:
                writer.writerow(["\\N" if v is None else v for v in row])
                pending += 1
                if pending >= chunk:
                    buf.seek(0)
                    raw.copy_expert(sql, buf)
                    n += pending
                    buf, pending = io.StringIO(), 0
                    writer = csv.writer(buf)
            if pending:
                buf.seek(0)
                raw.copy_expert(sql, buf)
                n += pending
        return n
    batch = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row))))
        if len(batch) >= 5000:
            model.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        n += len(batch)
    return n


@contextmanager
def indexes_deferred(model, *, when=True):
    """Drop ``model``'s plain (non-unique, non-primary) indexes for a bulk load and build them again after:
    one sort per index instead of a million index insertions. PostgreSQL only (DDL is transactional there)."""
    if not when or connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = %s AND NOT x.indisunique AND NOT x.indisprimary""", [table])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the deferred foreign keys of the rows now
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def analyze(*models):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
