"""The expression grammar (cnlp.expressions): every rule of GRAMMAR and WORDS with examples, values,
and the expressions through the segmenters, ner() and analyze()."""
from __future__ import annotations

import pytest

import cnlp
from cnlp import expressions as X

# rule -> [(text, type, value)]: each text is exactly one expression of that rule
CASES = {
    "date_sep": [("2017-10-12", "DATE", "2017-10-12"), ("2017/1/5", "DATE", "2017-01-05"),
                 ("２０１７．１０．１２", "DATE", "2017-10-12")],
    "date_ym_sep": [("2017-10", "DATE", "2017-10")],
    "date_ymd": [("二〇一七年十月十二日", "DATE", "2017-10-12"), ("１９９８年１２月３１日", "DATE", "1998-12-31"),
                 ("1998年", "DATE", "1998"), ("98年5月", "DATE", "1998-05"), ("2008年底", "DATE", "2008")],
    "date_md": [("10月12日", "DATE", "--10-12"), ("五月", "DATE", "--05"), ("三月下旬", "DATE", "--03")],
    "date_d": [("31日", "DATE", "---31"), ("十五号", "DATE", "---15")],
    "date_decade": [("80年代", "DATE", None)],
    "date_century": [("二十一世纪", "DATE", None)],
    "date_rel": [("明天", "DATE", None), ("星期三", "DATE", None), ("去年", "DATE", None)],
    "time_clock": [("10:30", "TIME", "10:30"), ("下午3:05", "TIME", "15:05"), ("08:00:59", "TIME", "08:00:59")],
    "time_cn": [("下午3点半", "TIME", "15:30"), ("晚上八点", "TIME", "20:00"), ("9时15分", "TIME", "09:15"),
                ("上午十点一刻", "TIME", "10:15")],
    "time_period": [("下午", "TIME", None), ("凌晨", "TIME", None)],
    "duration": [("三个小时", "TIME", "PT3H"), ("两天", "TIME", "P2D"), ("半年", "TIME", "P0.5Y"),
                 ("15分钟", "TIME", "PT15M"), ("一个半小时", "TIME", "PT1.5H"), ("3个月", "TIME", "P3M")],
    "money_sign": [("￥200", "MONEY", "200 CNY"), ("$1,299.99", "MONEY", "1299.99 USD")],
    "money_word": [("三千五百万元", "MONEY", "35000000 CNY"), ("9.5亿美元", "MONEY", "950000000 USD"),
                   ("50块钱", "MONEY", "50 CNY"), ("人民币100元", "MONEY", "100 CNY"), ("2万欧元", "MONEY", "20000 EUR")],
    "percent_sign": [("5.2%", "PERCENT", "5.2%"), ("１２％", "PERCENT", "12%")],
    "percent_cn": [("百分之五点二", "PERCENT", "5.2%"), ("百分之三十", "PERCENT", "30%")],
    "percent_point": [("3个百分点", "PERCENT", "3 pp")],
    "ordinal": [("第三", "NUMBER", "3 ordinal"), ("第12", "NUMBER", "12 ordinal")],
    "phone": [("010-62751234", "NUMBER", "tel:01062751234"), ("13812345678", "NUMBER", "tel:13812345678"),
              ("400-810-1234", "NUMBER", "tel:4008101234")],
    "number": [("三千五百万", "NUMBER", "35000000"), ("1,234,567.89", "NUMBER", "1234567.89"),
               ("五点二", "NUMBER", "5.2"), ("两", "NUMBER", "2"), ("3千万", "NUMBER", "30000000"),
               ("一百零五", "NUMBER", "105"), ("十万", "NUMBER", "100000"), ("三亿五千万", "NUMBER", "350000000")],
}


def test_every_rule_has_cases():
    assert set(CASES) == {row[0] for row in X.GRAMMAR}


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule(rule):
    for text, typ, val in CASES[rule]:
        assert X.find(text) == [(0, len(text), typ, rule)], text
        assert X.value(text, typ) == val, text


def test_leftmost_longest_in_context():
    text = "会议于2017-10-12召开，下午3点半结束，投资三千五百万元"
    got = [(text[s:e], t) for s, e, t, _ in X.find(text)]
    assert got == [("2017-10-12", "DATE"), ("下午3点半", "TIME"), ("三千五百万元", "MONEY")]
    assert X.find("今天的天气很好") == [(0, 2, "DATE", "date_rel")]
    assert X.find("") == [] and X.find("没有表达式") == []


WORD_CASES = {
    "date_sep": ("于2017-10-12召开", "2017-10-12"), "phone": ("拨打010-62751234咨询", "010-62751234"),
    "clock": ("在10:30:15到", "10:30:15"), "grouped": ("共1,234,567.89元", "1,234,567.89"),
    "decimal": ("约9.5亿美元", "9.5亿"), "percent": ("增长12%左右", "12%"), "cn_year": ("二〇一七年", "二〇一七年"),
    "cn_percent": ("上涨百分之五点二", "百分之五点二"), "cn_number": ("融资三千五百万元", "三千五百万"),
}


def test_every_word_rule_has_a_case():
    assert set(WORD_CASES) == {name for name, _, _ in X.WORDS}


@pytest.mark.parametrize("rule", sorted(WORD_CASES))
def test_word_rule_kept_whole_by_every_segmenter(rule):
    text, word = WORD_CASES[rule]
    s = text.index(word)
    assert (s, s + len(word)) in [(a, b) for a, b, _ in X.word_spans(text)]
    for algorithm in ("fmm", "bmm", "bimm", "bigram", "hmm", "hmm2", "perceptron", "crf"):
        words = cnlp.segment(text, algorithm=algorithm)
        if dict((n, f) for n, f, _ in X.WORDS)[rule] == "force":
            assert word in words, (algorithm, words)
        assert "".join(words) == text
        assert word in list(cnlp.get_segmenter(algorithm).segment_many([text, text]))[1] or \
            dict((n, f) for n, f, _ in X.WORDS)[rule] != "force"


def test_pku_standard_words_stay_split_and_the_entity_spans_them():
    text = "１９９８年１２月３１日，江泽民在北京"
    assert cnlp.segment(text, standard="pku")[:3] == ["１９９８年", "１２月", "３１日"]
    ents = cnlp.ner(text)
    assert (ents[0].text, ents[0].type, ents[0].value) == ("１９９８年１２月３１日", "DATE", "1998-12-31")
    assert cnlp.segment("会议于2017-10-12召开") == ["会议", "于", "2017-10-12", "召开"]


def test_expression_entities_in_ner_analyze_and_formats(capsys, monkeypatch):
    import io
    import json
    import sys
    from cnlp.cli import main
    text = "他排第三，二〇一七年十月十二日下午3点半到达，融资三千五百万元，增长5.2%"
    want = [("第三", "NUMBER", "3 ordinal"), ("二〇一七年十月十二日", "DATE", "2017-10-12"), ("下午3点半", "TIME", "15:30"),
            ("三千五百万元", "MONEY", "35000000 CNY"), ("5.2%", "PERCENT", "5.2%")]
    assert [(e.text, e.type, e.value) for e in cnlp.ner(text)] == want
    assert [(e.text, e.type, e.value) for e in cnlp.analyze(text).ents] == want
    assert [(e["text"], e["type"], e["value"]) for e in cnlp.analyze(text).to_json()["ents"]] == want
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    assert main(["ner", "--format", "json"]) == 0
    assert [(e["text"], e["type"], e["value"]) for e in json.loads(capsys.readouterr().out)] == want
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    assert main(["ner"]) == 0
    assert "[下午3点半]/TIME" in capsys.readouterr().out


def test_no_expression_inside_a_word():
    assert [e.type for e in cnlp.ner("我们统一了意见")] == []
    assert cnlp.get_ner().with_expressions(False).predict("会议于2017-10-12召开") == []


@pytest.mark.parametrize("algorithm", ["fmm", "bmm", "bigram", "hmm", "hmm2", "crf"])
def test_segment_many_is_segment_line_by_line_with_expressions_at_line_edges(algorithm):
    lines = ["他说一", "九九八年2017-", "10-12是", "3.5%", "", "二〇一七年十月", "5.2%", "电话010-", "62751234",
             "同比增长百分之八点五，继续", "场次率达百分之九十九点九。", "要增加百分之十几？", "二○○一年的四千三百一十三"]
    seg = cnlp.get_segmenter(algorithm)
    assert list(seg.segment_many(lines)) == [seg.segment(x) for x in lines]
    assert list(seg.segment_many([x + "\n" for x in lines])) == [seg.segment(x) + ["\n"] if x else ["\n"]
                                                                  for x in lines]


def test_cli_no_expressions(tmp_path, capsys, monkeypatch):
    import io
    import sys
    from cnlp.cli import main
    text = "会议于2017-10-12召开，江泽民在北京"
    for argv, want in ((["ner"], "[2017-10-12]/DATE"), (["ner", "--no-expressions"], "会议于2017-10-12召开")):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
        assert main(argv) == 0
        assert want in capsys.readouterr().out
    src = tmp_path / "in.txt"
    src.write_text((text + "\n") * 4, encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["ner", "-j", "2", "--no-expressions", "-o", str(out), str(src)]) == 0
    assert out.read_text(encoding="utf-8").count("DATE") == 0
