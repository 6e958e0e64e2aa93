"""NER beyond newspaper text: the Weibo / Resume / CLUENER readers (type mapping, refusal with file
and line), social-media markup as classes and never as entities, several training corpora with
per-corpus weights and a domain router, fine-grained types through every output format."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest

from cnlp.entities.data import format_entities, read_cluener, read_resume, read_weibo
from cnlp.entities.recognizer import EntityRecognizer
from cnlp.errors import CorpusFormatError, ModelFormatError
from cnlp.io import model_path
from cnlp.text import MARK_NAMES, markup, to_codes
from cnlp.train.ner import dictionary_gazetteer, train_ner

from .test_ner import CharSegmenter, FakePOS, _corpus


# ---------------------------------------------------------------------------------- readers
def test_weibo_reader_strips_digits_and_maps_types(tmp_path):
    p = tmp_path / "weibo.txt"
    p.write_text("我0\tO\n在1\tO\n北0\tB-GPE.NAM\n京1\tI-GPE.NAM\n见0\tO\n老0\tB-PER.NOM\n师1\tI-PER.NOM\n"
                 "李0\tB-PER.NAM\n白1\tI-PER.NAM\np10\tO\n��0\tO\n\n"
                 "腾0\tB-ORG.NAM\n讯1\tI-ORG.NAM\n\n", "utf-8")
    sents = list(read_weibo(p))
    assert sents == [("我在北京见老师李白p��", [(2, 4, "LOC"), (7, 9, "PER")]), ("腾讯", [(0, 2, "ORG")])]
    typed = list(read_weibo(p, nominal="type"))
    assert typed[0][1] == [(2, 4, "LOC"), (5, 7, "NOM"), (7, 9, "PER")]


@pytest.mark.parametrize("line", ["我\tO", "我0\tB-PER", "我0\tB-PER.XYZ", "我0 O"])
def test_weibo_reader_refuses_with_file_and_line(tmp_path, line):
    p = tmp_path / "bad.txt"
    p.write_text(f"你0\tO\n{line}\n\n", "utf-8")
    with pytest.raises(CorpusFormatError) as e:
        list(read_weibo(p))
    assert e.value.lineno == 2 and str(p) in str(e.value)


def test_resume_reader_bmes_and_types(tmp_path):
    p = tmp_path / "resume.txt"
    p.write_text("高 B-NAME\n勇 E-NAME\n： O\n中 B-CONT\n国 E-CONT\n华 B-ORG\n为 M-ORG\n司 E-ORG\n京 S-LOC\n\n"
                 "王 S-NAME\n", "utf-8")
    assert list(read_resume(p)) == [("高勇：中国华为司京", [(0, 2, "PER"), (5, 8, "ORG"), (8, 9, "LOC")]),
                                    ("王", [(0, 1, "PER")])]
    p.write_text("高 B-NAME\n勇\tE-NAME\n", "utf-8")
    with pytest.raises(CorpusFormatError) as e:
        list(read_resume(p))
    assert e.value.lineno == 2 and str(p) in str(e.value)


def test_cluener_reader(tmp_path):
    p = tmp_path / "c.json"
    recs = [{"text": "浙商银行叶老桂博士", "label": {"name": {"叶老桂": [[4, 6]]}, "company": {"浙商银行": [[0, 3]]}}},
            {"text": "没有实体"}]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", "utf-8")
    assert list(read_cluener(p)) == [("浙商银行叶老桂博士", [(0, 4, "company"), (4, 7, "name")]), ("没有实体", [])]
    for bad in ({"text": "浙商银行", "label": {"company": {"浙商": [[0, 2]]}}},      # span spells another text
                {"text": "浙商银行", "label": {"bank": {"浙商银行": [[0, 3]]}}},     # unknown type
                {"text": "浙商银行", "label": {"company": {"浙商银行": [[0, 9]]}}}):  # outside the text
        p.write_text(json.dumps(recs[1], ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n",
                     "utf-8")
        with pytest.raises(CorpusFormatError) as e:
            list(read_cluener(p))
        assert e.value.lineno == 2 and str(p) in str(e.value)


def test_dictionary_gazetteer(tmp_path):
    p = tmp_path / "d.txt"
    p.write_text("李白 30 nr\n北京 100 ns\n一剪梅 2 nr\n吃饭 9 v\n京 5 ns\n", "utf-8")
    assert dictionary_gazetteer(p, min_freq=3) == [("李白", "dict:nr"), ("北京", "dict:ns")]
    p.write_text("李白 nr\n", "utf-8")
    with pytest.raises(CorpusFormatError) as e:
        dictionary_gazetteer(p)
    assert e.value.lineno == 1


# ---------------------------------------------------------------------------------- markup classes
def test_markup_marks():
    def marks(t):
        return "".join(str(int(m)) for m in markup(to_codes(t)))
    assert MARK_NAMES[1] == "url" and MARK_NAMES[6] == "emoji"
    t = "看http://t.cn/zYimvPe（@土豆网 #北京#[心]😀"
    m = marks(t)
    assert m[1:1 + len("http://t.cn/zYimvPe")] == "1" * 19 and m[20] == "0"     # the URL stops at （
    i = t.index("@")
    assert m[i:i + 4] == "2333"
    i = t.index("#")
    assert m[i:i + 4] == "4554"
    assert m[-4:] == "6666"
    assert marks("") == "" and marks("@") == "0" and marks("a@b") == "023"
    assert marks("#没有配对") == "40000"


# ---------------------------------------------------------------------------------- several corpora
def _weibo_like(n, seed):
    """Sentences of a second convention: names after @ and inside #...#, URLs and emoji around."""
    rng = random.Random(seed)
    out = []
    for text, spans in _corpus(n, seed):
        pre = rng.choice(["", "@我们 ", "😀", "http://t.cn/x "])
        out.append((pre + text + rng.choice(["", "[心]", " #话题#"]), [(s + len(pre), e + len(pre), t)
                                                                  for s, e, t in spans]))
    return out


@pytest.fixture(scope="module")
def multi():
    return train_ner(_corpus(200), {"main": _corpus(20, seed=1), "weibo": _weibo_like(20, seed=4)},
                     corpora=[("weibo", _weibo_like(200, seed=3))], adapt=True, decode_domain="auto",
                     mask_markup=True, repeat={"weibo": 2}, segmenter=CharSegmenter(), pos=FakePOS(), bits=16,
                     folds=2, n_iter=4, verbose=False)


def test_several_corpora_domains_and_router(multi, tmp_path):
    assert multi.domains == {"main": 1, "weibo": 2} and multi.router is not None
    assert multi.router.route("@我们 王明在北京😀 #话题#") == "weibo"
    assert multi.router.route("王明在北京。") == "main"
    text = "@我们 王明在北京😀"
    for d in ("auto", "shared", "main", "weibo"):
        spans = multi.with_domain(d).predict_spans(text)
        assert all(t in ("PER", "LOC", "ORG") for _, _, t in spans)
    with pytest.raises(ValueError):
        multi.with_domain("resume")
    multi.save(tmp_path / "m")
    back = EntityRecognizer.load(tmp_path / "m", segmenter=CharSegmenter(), pos=FakePOS())
    assert back.domains == multi.domains and back.router.names == multi.router.names and back.mask_markup
    for text, _ in _weibo_like(30, seed=9):
        assert back.predict_spans(text) == multi.predict_spans(text)
    np.savez_compressed(tmp_path / "m" / "router.npz", router_weights=np.zeros((3, 3), np.float16),
                        router_bias=np.zeros(2))
    with pytest.raises(ModelFormatError, match="router.npz"):
        EntityRecognizer.load(tmp_path / "m", segmenter=CharSegmenter(), pos=FakePOS())


def test_hidden_types_are_trained_but_never_output():
    def with_nom(sents):
        return [(t + "老师说", s + [(len(t), len(t) + 2, "NOM")]) for t, s in sents]
    rec = train_ner(with_nom(_corpus(150)), with_nom(_corpus(10, seed=1)), types=("PER", "LOC", "ORG", "NOM"),
                    hidden_types=("NOM",), segmenter=CharSegmenter(), pos=FakePOS(), bits=16, folds=2, n_iter=3,
                    verbose=False)
    assert rec.types == ("PER", "LOC", "ORG")
    assert rec.model.training_log_[-1]["dev"] > 0.8       # dev gold without the hidden type
    for text, _ in with_nom(_corpus(20, seed=7)):
        assert all(t != "NOM" for _, _, t in rec.predict_spans(text))


def _markup_free(text, spans):
    m = markup(to_codes(text))
    return all(m[i] not in (1, 2, 4, 6) for s, e, _ in spans for i in range(s, e))


def test_markup_is_never_an_entity(multi):
    texts = ["@王明 王明在北京http://t.cn/北京大学 #北京# 😀王明😀", "华为公司@北京大学😀", "[心]北京[哈哈]"]
    for text in texts + [t for t, _ in _weibo_like(40, seed=11)]:
        assert _markup_free(text, multi.predict_spans(text))


# ---------------------------------------------------------------------------------- shipped models
def _shipped(name, part):
    try:
        return (model_path(name) / part).is_file()
    except ModelFormatError:
        return False


needs_shipped = pytest.mark.skipif(not _shipped("ner", "router.npz"),
                                   reason="the shipped multi-domain NER model is not built")
needs_fine = pytest.mark.skipif(not _shipped("ner_fine", "meta.json"),
                                reason="the shipped fine-grained NER model is not built")

SOCIAL = ["@北京大学 转发微博 http://t.cn/zYimvPe 北京欢迎你😀", "#王菲# 今天在上海开演唱会[心][心]",
          "//@中国日报:#北京#的雾霾 http://www.sina.com.cn/北京", "😀😀@腾讯游戏 @李宁 #李宁#",
          "＠马云 ＃阿里巴巴＃ https://taobao.com/上海"]


@needs_shipped
def test_shipped_model_keeps_markup_out_of_entities():
    import cnlp
    from cnlp import models
    rec = models.entity_recognizer()
    assert rec.mask_markup and set(rec.types) == {"PER", "LOC", "ORG"}
    for text in SOCIAL:
        ents = cnlp.ner(text)
        assert _markup_free(text, [(e.start, e.end, e.type) for e in ents]), (text, ents)
        assert all(e.type in ("PER", "LOC", "ORG", "DATE", "TIME", "MONEY", "PERCENT", "NUMBER") for e in ents)


@needs_fine
def test_fine_model_types_through_every_output(tmp_path):
    import cnlp
    from cnlp.cli import main
    from cnlp.entities.data import CLUENER_TYPES
    from cnlp.pipeline import build_pipeline
    fine = cnlp.load(model_path("ner_fine"))
    assert isinstance(fine, EntityRecognizer) and set(fine.types) == set(CLUENER_TYPES)
    text = "浙商银行企业信贷部叶老桂博士在杭州西湖边接受了新华社记者采访。"
    ents = fine.predict(text)
    assert ents and {e.type for e in ents} <= set(CLUENER_TYPES)
    assert any(e.type in ("company", "name") for e in ents)
    doc = build_pipeline("analyze", ner=fine)(text)
    assert [(e.text, e.type) for e in doc.ents] == [(e.text, e.type) for e in ents]
    src = tmp_path / "in.txt"
    src.write_text(text + "\n", "utf-8")
    for fmt in ("bio", "json", "inline"):
        out = tmp_path / f"out.{fmt}"
        assert main(["ner", "--model", str(model_path("ner_fine")), "--format", fmt, str(src), "-o", str(out)]) == 0
        assert out.read_text("utf-8") == format_entities(text, ents, fmt)
    out = tmp_path / "by_name.txt"
    assert main(["ner", "--model", "ner_fine", "--format", "inline", str(src), "-o", str(out)]) == 0
    assert out.read_text("utf-8") == format_entities(text, ents, "inline")


def test_folded_copies_decode_as_the_copies(multi):
    """Decoding with each corpus copy folded into its shared row gives the labels of decoding with
    the shared and copy columns both looked up."""
    from cnlp.entities._kernels import tag_entities
    from cnlp.text import _BMP_TABLE
    assert multi.features.copy_hash == "id"
    L = len(multi.tagset)
    for name, d in multi.domains.items():
        rec = multi.with_domain(name)
        for text, _ in _weibo_like(40, seed=13) + _corpus(40, seed=14):
            codes = to_codes(text)
            bounds, wtags = rec.cascade(text, codes)
            _, cstats, trie, wstats, gaz, gtypes, spec, bits, _ = rec.features.kernel_args()
            labels = tag_entities(codes, _BMP_TABLE, bounds, wtags, cstats, trie, wstats, gaz, gtypes, spec, bits, d,
                                  rec.model.decode_params(), np.zeros((0, L), np.bool_), np.zeros((0, L)),
                                  True, True)
            assert rec.tagset.decode_spans(labels) == rec.predict_spans(text)
