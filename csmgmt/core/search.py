"""The one search mechanism behind every search box (calls, customers, complaints, found items, lost reports).

**Folding.** Text is compared folded: full-width letters, digits and signs become half-width (``ＡＢ１２`` ->
``ab12``), Latin letters lower-case, and traditional characters simplified where the pair is one-to-one
(``TRAD_SIMP`` below: ~160 pairs of surnames and everyday words; a character that simplifies from several
traditional ones, like 发 from 發/髮 or 后 from 後/后, is left alone). Folding is ``str.translate`` with one table
(``FOLD``), so PostgreSQL does exactly the same with ``translate(text, from, to)`` in the SQL function
``search_fold(text)``, generated from that table into ``csmgmt/migrations/0009_search_functions.py``
(``tests/csmgmt/test_search_fold.py`` holds them equal). On SQLite the function is the Python one, registered
on every connection (``install_sqlite``).

**The column.** Each searchable model has ``search_text = search_text_field("f1", "f2", ...)``: a generated
column (``GENERATED ALWAYS … STORED``) holding ``search_fold(f1 || ' ' || f2 …)``, computed by the database on
every insert and update — an import, a ``COPY`` or a ``bulk_update`` cannot leave it stale. It is left out of
the edit trail (``HistoricalRecords(excluded_fields=["search_text"])``).

**The index** (PostgreSQL): a GIN index over ``search_bigrams(search_text)``, the distinct character pairs of
the text (an IMMUTABLE SQL function). A word of two or more characters is looked up as "the text has all its
pairs" (``@>``, answered by the index; a rare pair means few rows) and then checked exactly (``strpos``).
pg_trgm cannot do this for Chinese, where most words are two characters (a trigram index needs three).

**The query** (``search``): the words are AND-ed. A query that is a phone number or a part of one (digits, at
least ``PHONE_MIN`` of them, spaces and dashes allowed) is looked up on the phone columns by their own indexes
(equal to a full number, else "starts with"); a record number (``TS-202611-0042``) by its unique index; a
single character searches people's names by surname (each app says what else: lost and found adds category
and description), newest first, at most ``SINGLE_LIMIT`` rows.
"""

import re
import time
from dataclasses import dataclass, field
from typing import Callable

from django.db import connections
from django.db import models
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import StrIndex
from django.utils.translation import gettext_lazy as _

SINGLE_LIMIT = 50
PHONE_MIN = 3

# Traditional -> simplified, one-to-one pairs only (the simplified character has no other traditional form).
TRAD_SIMP = (
    # surnames
    "陳陈 張张 劉刘 黃黄 趙赵 吳吴 鄭郑 馮冯 許许 楊杨 孫孙 錢钱 譚谭 鄧邓 韓韩 龍龙 顧顾 賈贾 鄒邹 陸陆 謝谢 羅罗 "
    "蔣蒋 盧卢 葉叶 蕭萧 賴赖 龔龚 閻阎 蘇苏 鄔邬 嚴严 魯鲁 聶聂 湯汤 歐欧 "
    # everyday words of the calls, complaints and lost property
    "訂订 單单 電电 話话 務务 費费 貨货 運运 輸输 員员 問问 題题 訴诉 質质 維维 換换 車车 門门 開开 關关 機机 熱热 "
    "鍋锅 廳厅 線线 網网 絡络 認认 證证 確确 實实 際际 傳传 遞递 郵邮 購购 買买 賣卖 價价 處处 態态 滿满 銷销 應应 "
    "該该 讓让 聯联 專专 業业 禮礼 紅红 綠绿 藍蓝 顏颜 鑰钥 護护 書书 筆笔 記记 傘伞 鏡镜 腦脑 褲裤 帶带 個个 們们 "
    "這这 來来 說说 時时 間间 從从 為为 對对 會会 進进 過过 還还 沒没 現现 點点 東东 區区 場场 樓楼 層层 飯饭 館馆 "
    "醫医 銀银 長长 島岛 橋桥 園园 學学 習习 廣广 頭头 與与 歲岁 資资 訊讯 視视 報报 紙纸 請请 難难 "
    "壞坏 舊旧 寬宽 讀读 識识 錯错 誤误 將将 齊齐 氣气 塊块 錄录 滅灭 燈灯 廠厂 產产 藥药 療疗 險险 檢检 驗验 "
    "導导 覽览 戲戏 劇剧 風风 陽阳 寧宁 慶庆 漢汉 幫帮 總总 經经 辦办 離离 鐵铁 軌轨 飛飞 橫横 鬧闹 "
    "極极 優优 額额 號号"
)


def _pairs() -> dict[str, str]:
    table = {}
    for pair in TRAD_SIMP.split():
        trad, simp = pair[0], pair[1]
        if trad != simp:
            table[trad] = simp
    return table


def _fold_map() -> dict[str, str]:
    table = {}
    for code in range(0xFF01, 0xFF5F):  # full-width ASCII -> ASCII
        table[chr(code)] = chr(code - 0xFEE0)
    table["\u3000"] = " "  # ideographic space
    for code in range(ord("A"), ord("Z") + 1):
        table[chr(code)] = chr(code + 32)
    for src, dst in list(table.items()):
        if "A" <= dst <= "Z":
            table[src] = dst.lower()  # Ｘ -> x in one step
    table.update(_pairs())
    return table


FOLD_MAP = _fold_map()
FOLD = str.maketrans(FOLD_MAP)


def fold(text: str | None) -> str:
    """``text`` as the search column holds it (the same as SQL ``search_fold``)."""
    return (text or "").translate(FOLD)


def variants(char: str) -> list[str]:
    """Every character that folds to the same as ``char`` (itself first): 陈 -> [陈, 陳]."""
    target = fold(char)
    out = [char] + [c for c in FOLD_MAP if c != char and FOLD_MAP[c] == target]
    if target != char and target not in out:
        out.append(target)
    return out


def bigrams(word: str) -> list[str]:
    """The distinct character pairs of a (folded) word, in order."""
    seen = []
    for i in range(len(word) - 1):
        pair = word[i:i + 2]
        if " " not in pair and pair not in seen:
            seen.append(pair)
    return seen


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def function_sql() -> str:
    """The SQL of ``search_fold`` and ``search_bigrams`` (PostgreSQL), generated into the migration."""
    src = "".join(FOLD_MAP.keys())
    dst = "".join(FOLD_MAP.values())
    return (
        "CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT translate($1, {_sql_literal(src)}, {_sql_literal(dst)}) $$;\n"
        "CREATE OR REPLACE FUNCTION search_bigrams(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        "AS $$ SELECT coalesce(array_agg(DISTINCT g), '{}') FROM (SELECT substr($1, i, 2) AS g "
        "FROM generate_series(1, char_length($1) - 1) AS i) AS pairs WHERE position(' ' IN g) = 0 $$;"
    )


DROP_SQL = "DROP FUNCTION IF EXISTS search_bigrams(text); DROP FUNCTION IF EXISTS search_fold(text);"


def install_sqlite(sender=None, connection=None, **kwargs):
    """``connection_created`` receiver: SQLite gets ``search_fold`` as a deterministic Python function (a
    generated column may only call deterministic ones)."""
    if connection is not None and connection.vendor == "sqlite":
        connection.connection.create_function("search_fold", 1, lambda t: None if t is None else fold(t),
                                              deterministic=True)


# --- the model side -----------------------------------------------------------------------------------------


class SearchFold(Func):
    function = "search_fold"
    output_field = TextField()


class Joined(Func):
    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class SearchBigrams(Func):
    function = "search_bigrams"

    @property
    def output_field(self):
        from django.contrib.postgres.fields import ArrayField

        return ArrayField(TextField())


def search_text_field(*fields: str) -> models.GeneratedField:
    """The generated search column over ``fields`` (NOT NULL text columns), joined with spaces and folded."""
    return models.GeneratedField(expression=SearchFold(Joined(*[models.F(f) for f in fields])),
                                 output_field=TextField(), db_persist=True, verbose_name=_("search text"))


def gin_index_sql(table: str, name: str) -> tuple[str, str]:
    """(create, drop) SQL of the bigram GIN index of ``table`` (PostgreSQL only: run from a migration).

    Without the pending list (``fastupdate = off``): a new row goes straight into the index (a call's hundred
    pairs, a fraction of a millisecond), so a search never reads a pending list that only VACUUM empties — and
    the planner, which prices that list, does not shun the index after a burst of inserts."""
    return (f'CREATE INDEX IF NOT EXISTS {name} ON "{table}" USING gin (search_bigrams(search_text)) '
            "WITH (fastupdate = off)",
            f"DROP INDEX IF EXISTS {name}")


# --- the query side -----------------------------------------------------------------------------------------

NUMBER = re.compile(r"^[a-z]{2,3}-\d{6,8}-\d{3,6}$")
NUMBER_TAIL = re.compile(r"^\d{6,8}-\d{3,6}$")  # "202611-0042": a part of a record number, not a phone
PHONE = re.compile(r"^\+?[\d\s\-()]+$")


@dataclass(frozen=True)
class SearchSpec:
    """How one search box searches its model.

    - ``order``: newest first (the single-character search's order);
    - ``name``: the person's name column (a single character is a surname);
    - ``number``: the record-number column (unique index);
    - ``phones``: phone columns, normalised; each needs a pattern index (``varchar_pattern_ops``) for
      "starts with"; or a function ``(digits, whole number?) -> Q`` (a customer's numbers in their own table);
    - ``normalize_phone``: the apps' normaliser (``tickets.phones.normalize_phone``);
    - ``single``: more conditions for a single character, ``single(variants) -> Q`` (lost and found: category
      and description)."""

    order: tuple[str, ...]
    name: str = ""
    number: str = ""
    phones: tuple[str, ...] = ()
    normalize_phone: Callable[[str], str] | None = None
    single: Callable[[list[str]], Q] | None = None
    extra: dict = field(default_factory=dict)


def phone_fragment(q: str, spec: SearchSpec) -> tuple[str, bool]:
    """(digits, whole number?) when ``q`` (folded) is a phone number or a part of one, else ('', False)."""
    if not spec.phones or not PHONE.match(q):
        return "", False
    digits = re.sub(r"\D", "", q)
    if len(digits) < PHONE_MIN:
        return "", False
    full = spec.normalize_phone(q) if spec.normalize_phone else digits
    if len(full) >= 11:
        return full, True
    return digits, False


STATS_SECONDS = 600
_stats: dict = {}


def common_pairs(conn, table: str) -> dict[str, float]:
    """The pairs ANALYZE found common in ``table``'s bigram index, with their share of rows (PostgreSQL keeps
    them for the index's expression); read at most every ``STATS_SECONDS`` per database and table."""
    key = (conn.alias, table)
    hit = _stats.get(key)
    if hit is not None and time.monotonic() - hit[0] < STATS_SECONDS:
        return hit[1]
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs FROM pg_stats s "
            "JOIN pg_class i ON i.relname = s.tablename JOIN pg_index x ON x.indexrelid = i.oid "
            "WHERE x.indrelid = %s::regclass AND s.attname = 'search_bigrams'", [f'"{table}"'])
        row = cursor.fetchone()
    common = dict(zip(row[0], row[1])) if row and row[0] else {}
    _stats[key] = (time.monotonic(), common)
    return common


def index_pairs(pairs: list[str], common: dict[str, float]) -> list[str]:
    """The pairs of one word to look up in the index: the uncommon ones, or else the least common one.

    The planner prices "has all these pairs" as if the pairs were independent, and the pairs of one word are not
    (热水 and 水器 come together): asking for several common pairs of a frequent word would make it look rare, and
    the planner would fetch every match from the index and sort them instead of walking the date index and
    stopping at a page. The exact check follows anyway."""
    rare = [p for p in pairs if p not in common]
    if rare or not pairs:
        return rare
    return [min(pairs, key=lambda p: common[p])]


def search(qs, q: str, spec: SearchSpec):
    """``qs`` narrowed to the records matching ``q`` (see the module's text); the caller orders them. For a
    single character the set is the newest ``SINGLE_LIMIT`` matches."""
    folded = " ".join(fold(q).split())
    if not folded:
        return qs
    if spec.phones and not NUMBER_TAIL.match(folded):
        digits, whole = phone_fragment(folded, spec)
        if digits:
            cond = Q()
            for column in spec.phones:
                if callable(column):
                    cond |= column(digits, whole)
                else:
                    cond |= Q(**{column: digits}) if whole else Q(**{f"{column}__startswith": digits})
            return qs.filter(cond)
    if spec.number and NUMBER.match(folded):
        return qs.filter(**{spec.number: folded.upper()})
    if len(folded) == 1:
        chars = variants(q.strip()) if len(q.strip()) == 1 else [folded]
        cond = Q()
        if spec.name:
            for c in chars:
                cond |= Q(**{f"{spec.name}__startswith": c})
        if spec.single:
            cond |= spec.single(chars)
        newest = qs.filter(cond).order_by(*spec.order).values("pk")[:SINGLE_LIMIT]  # of what the user may see
        return qs.filter(pk__in=newest)
    words = folded.split()
    conn = connections[qs.db]
    if conn.vendor == "postgresql":
        common = common_pairs(conn, qs.model._meta.db_table)
        pairs = [p for w in words for p in index_pairs(bigrams(w), common)]
        if pairs:
            qs = qs.alias(_search_pairs=SearchBigrams("search_text")).filter(_search_pairs__contains=pairs)
    for i, word in enumerate(words):
        # the exact check: strpos (instr on SQLite), not LIKE — the planner prices a LIKE on top of the pairs as
        # if the two were independent, and would think a frequent word rare (an unknown function: one in three)
        qs = qs.alias(**{f"_search_at{i}": StrIndex("search_text", Value(word))}).filter(**{f"_search_at{i}__gt": 0})
    return qs
