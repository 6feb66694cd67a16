"""The search functions of ``csmgmt.core.search`` (PostgreSQL): ``search_fold(text)`` — full-width to
half-width, Latin lower-case, traditional to simplified (one-to-one pairs) — and ``search_bigrams(text)``, the
text's distinct character pairs for the GIN indexes. The SQL is generated from the Python table
(``csmgmt.core.search.function_sql()``) and written out here, so this migration stays what it was;
``tests/csmgmt/test_search.py`` holds the two equal. SQLite gets the Python function on each connection."""

from django.db import migrations

SQL = 'CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT translate($1, \'！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～\u3000ABCDEFGHIJKLMNOPQRSTUVWXYZ陳張劉黃趙吳鄭馮許楊孫錢譚鄧韓龍顧賈鄒陸謝羅蔣盧葉蕭賴龔閻蘇鄔嚴魯聶湯歐訂單電話務費貨運輸員問題訴質維換車門開關機熱鍋廳線網絡認證確實際傳遞郵購買賣價處態滿銷應該讓聯專業禮紅綠藍顏鑰護書筆記傘鏡腦褲帶個們這來說時間從為對會進過還沒現點東區場樓層飯館醫銀長島橋園學習廣頭與歲資訊視報紙請難壞舊寬讀識錯誤將齊氣塊錄滅燈廠產藥療險檢驗導覽戲劇風陽寧慶漢幫總經辦離鐵軌飛橫鬧極優額號\', \'!"#$%&\'\'()*+,-./0123456789:;<=>?@abcdefghijklmnopqrstuvwxyz[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ abcdefghijklmnopqrstuvwxyz陈张刘黄赵吴郑冯许杨孙钱谭邓韩龙顾贾邹陆谢罗蒋卢叶萧赖龚阎苏邬严鲁聂汤欧订单电话务费货运输员问题诉质维换车门开关机热锅厅线网络认证确实际传递邮购买卖价处态满销应该让联专业礼红绿蓝颜钥护书笔记伞镜脑裤带个们这来说时间从为对会进过还没现点东区场楼层饭馆医银长岛桥园学习广头与岁资讯视报纸请难坏旧宽读识错误将齐气块录灭灯厂产药疗险检验导览戏剧风阳宁庆汉帮总经办离铁轨飞横闹极优额号\') $$;\nCREATE OR REPLACE FUNCTION search_bigrams(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT coalesce(array_agg(DISTINCT g), \'{}\') FROM (SELECT substr($1, i, 2) AS g FROM generate_series(1, char_length($1) - 1) AS i) AS pairs WHERE position(\' \' IN g) = 0 $$;'

DROP = 'DROP FUNCTION IF EXISTS search_bigrams(text); DROP FUNCTION IF EXISTS search_fold(text);'


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: the table holds a "%"
            cursor.execute(SQL)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("csmgmt", "0008_form_submissions")]

    operations = [migrations.RunPython(create, drop)]
