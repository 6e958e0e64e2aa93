"""The linear POS tagger: training on a tiny corpus, user-dictionary tags, save/load, type checks,
the pipeline, cnlp.load and the CLI."""
import json

import pytest

from cnlp.errors import ModelFormatError
from cnlp.pos.tagger import POSTagger
from cnlp.train.pos import train_pos

SENTS = [[tuple(t.split("/")) for t in line.split()] for line in [
    "我们/r 研究/v 生命/n 的/u 起源/n 。/w", "他/r 说/v 的/u 确实/ad 在理/a 。/w",
    "商品/n 和/c 服务/vn 都/d 很/d 好/a 。/w", "研究生/n 们/k 研究/v 问题/n 。/w",
    "北京/ns 的/u 商品/n 很/d 好/a 。/w", "我们/r 说/v 问题/n 。/w",
]] * 3


@pytest.fixture(scope="module", params=["perceptron", "crf"])
def tagger(request):
    kw = {"n_iter": 10} if request.param == "perceptron" else {"max_iter": 50, "c2": 0.01}
    return train_pos(SENTS, (), algorithm=request.param, bits=16, folds=2, verbose=False, **kw)


def test_learns_the_training_sentences(tagger):
    # trained on jackknifed dictionary features, tagged with the full dictionary: nearly all right
    pairs = [(p, t) for s in SENTS[:6] for p, (_, t) in zip(tagger.predict([w for w, _ in s]), s)]
    assert sum(p == t for p, t in pairs) >= len(pairs) - 1
    assert tagger.model.training_log_


def test_type_checks_and_empty(tagger):
    assert tagger.predict([]) == []
    with pytest.raises(TypeError):
        tagger.predict("我们 研究")
    with pytest.raises(TypeError, match="1"):
        tagger.predict(["我们", 3])
    with pytest.raises(ValueError, match="empty word"):
        tagger.predict(["我们", ""])


def test_user_dictionary_pos_wins(tagger):
    from cnlp.dictionary import UserDictionary
    ud = UserDictionary()
    ud.add_word("起源", pos="v")
    words = ["我们", "研究", "生命", "的", "起源", "。"]
    assert tagger.predict(words)[4] == "n"
    assert tagger.with_user_dict(ud).predict(words)[4] == "v"


def test_save_load_identical_and_corrupt(tagger, tmp_path):
    import cnlp
    tagger.save(tmp_path / "m")
    again = POSTagger.load(tmp_path / "m")
    by_kind = cnlp.load(tmp_path / "m")
    assert isinstance(by_kind, POSTagger)
    for s in SENTS[:6] + [[("没", ""), ("见过", ""), ("的", ""), ("词", "")]]:
        words = [w for w, _ in s]
        assert again.predict(words) == tagger.predict(words) == by_kind.predict(words)
    meta = json.loads((tmp_path / "m" / "meta.json").read_text("utf-8"))
    meta["tagset"] = {"tags": "nope"}
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelFormatError, match="meta.json"):
        POSTagger.load(tmp_path / "m")
    with pytest.raises(ModelFormatError, match="meta.json"):
        cnlp.load(tmp_path / "nothing")


def test_pipeline_doc_offsets_cover_the_text(tagger):
    from hypothesis import given, settings, strategies as st
    from cnlp import Pipeline
    from cnlp.models import crf as default_crf
    pipe = Pipeline(default_crf(), pos=tagger)

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet=list("我们研究生命的起源。 \t😀a1") + ["\x00"], max_size=30))
    def check(text):
        doc = pipe(text)
        assert "".join(doc.words) == text and doc.bounds[0] == 0 and doc.bounds[-1] == len(text)
        assert len(doc.pos) == len(doc.words)
    check()


def test_shipped_pos_model_api():
    import cnlp
    assert cnlp.pos_tag([]) == []
    with pytest.raises(TypeError, match="item 1"):
        cnlp.pos_tag(["我们", b"x"])
    with pytest.raises(TypeError):
        cnlp.pos_tag("我们")
    tags = cnlp.pos_tag(["我们", "研究", "生命", "的", "起源", "。"])
    assert tags[-1] == "w" and tags[0] == "r" and len(tags) == 6
    pairs = cnlp.tag("他在北京工作。")
    assert "".join(w for w, _ in pairs) == "他在北京工作。" and ("北京", "ns") in pairs
    doc = cnlp.analyze("他在 北京工作")
    assert "".join(doc.words) == "他在 北京工作"
    cnlp.add_word("云计算", pos="nz")
    try:
        assert ("云计算", "nz") in cnlp.tag("他研究云计算。")
    finally:
        cnlp.del_word("云计算")


def test_cli_tag_one_line_per_input_line(tmp_path, capsys):
    from cnlp.cli import main
    f = tmp_path / "in.txt"
    f.write_text("他在北京工作。\n\n  \n我们研究生命\n", "utf-8")
    assert main(["tag", str(f)]) == 0
    out = capsys.readouterr().out.split("\n")
    assert len(out) == 5 and out[1] == "" and out[2] == "" and "北京/ns" in out[0].split(" ")
    assert main(["tag", "--format", "json", str(f)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and json.loads(lines[3])["text"] == "我们研究生命"
    assert main(["tag", "--format", "conllu", str(f)]) == 0
    assert "\t北京\t" in capsys.readouterr().out
