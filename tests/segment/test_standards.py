"""Several segmentation standards in one model: corpus formats, feature augmentation, ``standard=``."""
from __future__ import annotations

import numpy as np
import pytest

import cnlp
from cnlp.corpus.readers import detect_format, read_words
from cnlp.errors import CorpusFormatError, ModelFormatError, ParameterError
from cnlp.segmentation.tagging import SHARED, TaggingSegmenter
from cnlp.sequence.features import CharFeatures
from cnlp.train import fit_linear
from cnlp.train.cws import Corpus, merge_names, multi_dev_scorer, multi_training_data, read_corpus


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


CONLLU = ("# text = 看似簡單\n1\t看似\t_\tVERB\tVV\t_\t2\tcop\t_\t_\n2\t簡單\t_\tADJ\tJJ\t_\t0\troot\t_\t_\n\n"
          "1-2\t他們\t_\t_\t_\t_\t_\t_\t_\t_\n1\t他\t_\tPRON\tPRP\t_\t0\troot\t_\t_\n2\t們\t_\tPART\tX\t_\t1\tdep\t_\t_\n")


def test_formats_detected_per_file(tmp_path):
    pd = _write(tmp_path / "pd.txt", "迈向/v  充满/v  希望/n\n\n江/nr  泽民/nr  说/v\n")
    sp = _write(tmp_path / "sp.txt", "回首 来 时 的 路 ， 1/3\n\n坚定 的 信念\n")
    cu = _write(tmp_path / "u.conllu", CONLLU)
    assert [detect_format(p) for p in (pd, sp, cu)] == ["pd98", "spaces", "conllu"]
    assert list(read_words(pd)) == [["迈向", "充满", "希望"], ["江", "泽民", "说"]]
    assert list(read_words(sp)) == [["回首", "来", "时", "的", "路", "，", "1/3"], ["坚定", "的", "信念"]]
    assert list(read_words(cu)) == [["看似", "簡單"], ["他", "們"]]
    assert read_corpus(pd, names_whole=True) == [["迈向", "充满", "希望"], ["江泽民", "说"]]


def test_file_in_no_format_refused_with_file_and_line(tmp_path):
    bio = _write(tmp_path / "x.bio", "\n中\tB-LOC\n国\tI-LOC\n")
    with pytest.raises(CorpusFormatError) as e:
        list(read_words(bio))
    assert "x.bio" in str(e.value) and ":2" in str(e.value)
    pd = _write(tmp_path / "pd.txt", "迈向/v  充满/v\n希望/n\n好 的\n")
    with pytest.raises(CorpusFormatError) as e:
        list(read_words(pd))
    assert "pd.txt" in str(e.value) and ":3" in str(e.value)
    sp = _write(tmp_path / "sp.txt", "好 的\n坏\t的\n")
    with pytest.raises(CorpusFormatError, match=r"sp\.txt:2"):
        list(read_words(sp))


def test_merge_names():
    assert merge_names([("江", "nr"), ("泽民", "nr"), ("和", "c"), ("克林顿", "nr")]) == \
        [("江泽民", "nr"), ("和", "c"), ("克林顿", "nr")]


def test_augmented_features_keep_the_shared_columns():
    f = CharFeatures(bits=16, standards=("a", "b"))
    codes = cnlp.text.to_codes("研究生命起源")
    X0 = f.transform_codes(codes)
    Xa, Xb = f.for_standard("a").transform_codes(codes), f.for_standard("b").transform_codes(codes)
    T = X0.shape[1]
    assert Xa.shape == (6, 2 * T) and (Xa[:, :T] == X0).all() and (Xb[:, :T] == X0).all()
    assert (Xa[:, T:] != Xb[:, T:]).any() and int(Xa.max()) < 1 << 16
    with pytest.raises(ValueError, match="choose one of"):
        f.for_standard("c")


def _two_standards(tmp_path=None):
    a = [["我们", "喜欢", "北京大学", "。"], ["他", "去", "北京大学", "了"]] * 20
    b = [["我们", "喜欢", "北京", "大学", "。"], ["他", "去", "北京", "大学", "了"]] * 20
    corpora = [Corpus("a", a, a[:2]), Corpus("b", b, b[:2])]
    sents, std, feats, X, y = multi_training_data(corpora, lexicons=[["北京大学", "清华"]], bits=16, folds=2)
    model = fit_linear("perceptron", X, y, n_labels=4, n_features=feats.n_features,
                       dev_score=multi_dev_scorer(corpora, feats), n_iter=5, verbose=False)
    return TaggingSegmenter(model, feats)


def test_one_model_writes_each_standard(tmp_path):
    seg = _two_standards()
    assert seg.standards == ("a", "b", SHARED) and seg.standard == SHARED
    text = "我们喜欢北京大学。"
    assert seg.with_standard("a").segment(text) == ["我们", "喜欢", "北京大学", "。"]
    assert seg.with_standard("b").segment(text) == ["我们", "喜欢", "北京", "大学", "。"]
    assert list(seg.with_standard("b").segment_many([text, text])) == [["我们", "喜欢", "北京", "大学", "。"]] * 2
    assert seg.with_standard("b").with_user_dict(["北京大学"]).segment(text)[2] == "北京大学"
    with pytest.raises(ParameterError, match=r"'c'.*\['a', 'b', 'shared'\]"):
        seg.with_standard("c")
    seg.with_standard("b").save(tmp_path / "m")
    back = TaggingSegmenter.load(tmp_path / "m")
    assert back.standard == "b" and back.segment(text) == seg.with_standard("b").segment(text)
    assert back.with_standard("a").segment(text) == seg.with_standard("a").segment(text)


@pytest.mark.parametrize("field,value", [("default_standard", "nope"), ("standard_mixtures", {"m": {"zz": 1}}),
                                         ("standard_mixtures", {"a": {"b": 1}}), ("standard_mixtures", {"m": {"a": -1}})])
def test_bad_standards_in_meta_are_format_errors(tmp_path, field, value):
    import json
    seg = _two_standards()
    TaggingSegmenter(seg.tagger, seg.features, mixtures={"m": {"a": 0.5}}, mixture="m").save(tmp_path / "m")
    assert TaggingSegmenter.load(tmp_path / "m").standard == "m"
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta[field] = value
    meta.pop("checksums", None)
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelFormatError, match="meta.json"):
        TaggingSegmenter.load(tmp_path / "m")


def test_segmenters_of_one_standard_refuse_others():
    assert cnlp.segment("研究生命起源", algorithm="fmm", standard="pku") == cnlp.segment("研究生命起源", algorithm="fmm")
    for algo in ("fmm", "crf"):
        with pytest.raises(ParameterError, match=r"choose one of \['pku'\]"):
            cnlp.segment("研究", algorithm=algo, standard="weibo")
    with pytest.raises(ValueError, match="choose one of"):
        cnlp.segment("研究", standard="no-such-standard")
    with pytest.raises(TypeError):
        cnlp.segment("研究", standard=1)


def test_cli_trains_standards(tmp_path):
    from cnlp.cli import main
    a = _write(tmp_path / "a.txt", "我们/r  喜欢/v  北京大学/nt  。/w\n他/r  去/v  北京大学/nt  了/y\n" * 20)
    b = _write(tmp_path / "b.txt", "我们 喜欢 北京 大学 。\n他 去 北京 大学 了\n" * 20)
    lex = _write(tmp_path / "lex.txt", "北京大学 3 nt\n清华\n")
    out = tmp_path / "m"
    assert main(["train", "cws", "--corpus", f"a={a}", "--corpus", f"b={b}", "--dev", f"b={b}", "--lexicon", str(lex),
                 "--out", str(out), "--n-iter", "5", "--seeds", "1", "--bits", "16", "--folds", "2",
                 "--default-standard", "a", "--mixture", "ab=a:0.5,b:0.5", "-q"]) == 0
    seg = TaggingSegmenter.load(out)
    assert seg.standard == "a" and seg.standards == ("a", "b", "ab", SHARED)
    assert "".join(seg.with_standard("ab").segment("他去北京大学了")) == "他去北京大学了"
    assert seg.segment("他去北京大学了")[2] == "北京大学"
    assert seg.with_standard("b").segment("他去北京大学了")[2:4] == ["北京", "大学"]
    assert main(["train", "cws", "--corpus", f"a={a}", "--corpus", str(b), "--out", str(out), "-q"]) == 2


def test_shipped_default_writes_names_whole():
    seg = cnlp.get_segmenter()
    if "pku" not in seg.standards or seg.standard == "pku":
        pytest.skip("the default segmenter has no other standard than pku")
    assert "江泽民" in cnlp.segment("江泽民会见了克林顿。")
    assert "江澤民" in cnlp.segment("江澤民會見了克林頓。")                     # traditional input too
    text = "江泽民会见了克林顿。中共中央总书记、国家主席江泽民发表１９９８年新年讲话"
    assert cnlp.segment(text, standard="pku") == cnlp.segment(text, algorithm="crf")   # PKU: the PKU CRF
    assert cnlp.segment(text, standard="pku")[:2] == ["江", "泽民"]
    assert cnlp.segment(text, standard="pku", user_dict=["江泽民"])[0] == "江泽民"
    for name in ("weibo", "ctb", "shared"):
        assert "".join(cnlp.segment(text, standard=name)) == text
    assert [w for w, _ in cnlp.tag("江泽民会见了克林顿。")][:2] == ["江", "泽民"]       # the cascade reads PKU words


def test_folded_standard_decodes_as_the_augmented_features():
    seg = _two_standards()
    texts = ["我们喜欢北京大学。", "他去北京了", "北京大学和清华", "研究生命起源 ABC 123"]
    seg = TaggingSegmenter(seg.tagger, seg.features, mixtures={"m": {"a": 0.5, "b": 1.0}})
    assert seg.standards == ("a", "b", "m", SHARED)
    for name in ("a", "b", "m", SHARED):
        s = seg.with_standard(name)
        for t in texts:
            codes = cnlp.text.to_codes(t)
            assert s._bounds(codes).tolist() == s._bounds_stepwise(codes).tolist()


def test_cli_segment_standard(tmp_path, capsys, monkeypatch):
    import io
    from cnlp.cli import main
    _two_standards().save(tmp_path / "m")
    src = _write(tmp_path / "in.txt", "我们喜欢北京大学。\n")
    assert main(["segment", "--model", str(tmp_path / "m"), "--standard", "b", str(src)]) == 0
    assert capsys.readouterr().out == "我们 喜欢 北京 大学 。\n"
    assert main(["segment", "--model", str(tmp_path / "m"), "--standard", "a", str(src)]) == 0
    assert capsys.readouterr().out == "我们 喜欢 北京大学 。\n"
    assert main(["segment", "--model", str(tmp_path / "m"), "--standard", "zz", str(src)]) == 1
    err = capsys.readouterr().err
    assert "'zz'" in err and "['a', 'b', 'shared']" in err


def test_fold_standard_is_the_row_formula():
    """W'[f] = W[f] + sum a * W[augmented id of f] in float32, term by term, float16 or float32 rows."""
    from cnlp.segmentation.tagging import fold_standard
    from cnlp.sequence._feature_kernels import augmented_ids
    model = _two_standards().tagger
    terms = ((2, 0.4), (1, 0.3))
    for dtype in (np.float32, np.float16):
        m = __import__("copy").copy(model)
        m.__dict__.pop("_folded", None)
        m.weights_ = model.weights_.astype(dtype)
        rows, W = m.rows(), m.weights_
        want = W.astype(np.float32)
        for d, a in terms:
            aug = augmented_ids(rows, d, (1 << 16) - 1)
            pos = np.minimum(np.searchsorted(rows, aug), rows.size - 1)
            hit = rows[pos] == aug
            want[hit] += np.float32(a) * W[pos[hit]].astype(np.float32)
        got = fold_standard(m, terms, 16).weights_
        assert got.dtype == np.float32 and np.array_equal(got.view(np.uint32), want.view(np.uint32))


def test_loaded_segmenter_reads_its_dictionary_again_when_asked(tmp_path):
    seg = _two_standards()
    seg.save(tmp_path / "m")
    back = TaggingSegmenter.load(tmp_path / "m")
    assert back.features._lexicon[0] is None and back.features.use_dict       # released after load
    text = "他去北京大学了"
    assert back.segment(text) == seg.segment(text)
    assert back.features.dictionary is not None and "北京大学" in back.features.dictionary
    assert back.with_standard("a").features.dictionary is back.features.dictionary   # shared by copies
    back.save(tmp_path / "again")
    assert TaggingSegmenter.load(tmp_path / "again").segment(text) == seg.segment(text)
