"""The UD UPOS tagger with lexicon (PD98) features and treebank features, and ``cnlp train dep``
for the tagger and for the parser on jackknifed predicted tags, on tiny data."""
from __future__ import annotations

import argparse
import json
import shutil

import numpy as np
import pytest

from cnlp.errors import ModelFormatError
from cnlp.parsing.conllu import read_ud

from .test_parser import TINY, _check_tree

PD = """\
他/r  喜欢/v  上海/ns  。/w
我们/r  研究/v  语言/n  的/u  起源/n  。/w
商品/n  和/c  服务/vn  都/d  很/d  好/a  。/w
"""


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("ud")
    (d / "tiny-ud-train.conllu").write_text(TINY, encoding="utf-8")
    (d / "other-ud-train.conllu").write_text(TINY.replace("\tADJ\t", "\tVERB\t"), encoding="utf-8")
    (d / "pd.txt").write_text(PD, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def sents(files):
    return read_ud(files / "tiny-ud-train.conllu") + read_ud(files / "other-ud-train.conllu")


@pytest.fixture(scope="module")
def lexicon(files):
    from cnlp.corpus.readers import read_pd98
    from cnlp.train.ud import lexicon_dictionary
    return lexicon_dictionary(read_pd98(files / "pd.txt"))


@pytest.fixture(scope="module")
def tagger(sents, lexicon):
    from cnlp.train.ud import train_lexicon_tagger
    return train_lexicon_tagger(sents * 2, lexicon=lexicon, treebank_features=True, treebank="tiny", bits=16,
                                folds=2, n_iter=6)


def test_lexicon_words_mapped_to_upos(lexicon):
    assert "上海" in lexicon.trie and "和" in lexicon.trie
    assert set(lexicon.pos_names) <= {"PRON", "VERB", "PROPN", "PUNCT", "NOUN", "PART", "CCONJ", "ADV", "ADJ"}


def test_learns_and_uses_treebank_style(tagger, sents):
    for s in sents:
        assert tagger.predict(s.forms, treebank=s.treebank) == s.upos
    words = ["商品", "和", "服务", "都", "很", "好", "。"]
    assert tagger.predict(words)[5] == "ADJ"                       # default style: tiny
    assert tagger.predict(words, treebank="other")[5] == "VERB"
    with pytest.raises(ValueError, match="unknown treebank"):
        tagger.predict(words, treebank="unknown")
    from cnlp.parsing.frontend import UDTagger
    ud = UDTagger(tagger)
    assert ud.predict_both(words, treebank="other")[0] == tagger.predict(words, treebank="other")
    assert ud.predict_both(words)[1] == ["_"] * len(words)


def test_predict_edge_cases(tagger):
    assert tagger.predict([]) == []
    with pytest.raises(ValueError):
        tagger.predict(["他", ""])
    with pytest.raises(TypeError):
        tagger.predict(["他", 3])
    words = ["他", "喜欢", "上海", "。"]
    bounds = np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int32)
    assert tagger.predict_bounds("".join(words), bounds) == tagger.predict(words)
    assert len(tagger.predict(["中文"] * 300)) == 300


def test_save_load_round_trip(tagger, sents, tmp_path):
    from cnlp.parsing.frontend import LexiconTagger, UDTagger
    tagger.save(tmp_path / "upos")
    back = LexiconTagger.load(tmp_path / "upos")
    assert isinstance(back, LexiconTagger) and back.treebank == "tiny" and back.treebanks == ["other", "tiny"]
    for s in sents:
        for tb in (None, "other"):
            assert back.predict(s.forms, treebank=tb) == tagger.predict(s.forms, treebank=tb)
    assert UDTagger.load(tmp_path / "upos").predict(sents[0].forms) == tagger.predict(sents[0].forms)


@pytest.mark.parametrize("ext", [["x"], {"lexicon_templates": ["w0"]}, {"treebanks": [""]},
                                 {"treebanks": ["a"], "treebank": "b"}, {"lexicon_templates": "lx:a0"}])
def test_corrupt_extension_raises(tagger, tmp_path, ext):
    from cnlp.parsing.frontend import LexiconTagger
    d = tmp_path / "upos"
    tagger.save(d)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    meta["ud_tagger"] = ext
    (d / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        LexiconTagger.load(d)


def test_plain_tagger_loads_as_pos_tagger(sents, tmp_path):
    from cnlp.parsing.frontend import LexiconTagger
    from cnlp.train.ud import train_lexicon_tagger
    from cnlp.pos.tagger import POSTagger
    t = train_lexicon_tagger(sents, bits=16, folds=2, n_iter=2)
    assert t.lexicon is None and not t.treebanks
    t.base.save(tmp_path / "plain")
    assert isinstance(LexiconTagger.load(tmp_path / "plain"), POSTagger)
    t.save(tmp_path / "ext")
    assert LexiconTagger.load(tmp_path / "ext").predict(sents[0].forms) == t.predict(sents[0].forms)


def test_jackknife_tags_are_copies(sents, lexicon):
    from cnlp.train.dep import jackknife_tags
    out = jackknife_tags(sents * 2, 2, lexicon=lexicon, treebank_features=True, n_iter=2)
    assert len(out) == 2 * len(sents)
    for a, b in zip(out, sents * 2):
        assert a is not b and a.forms == b.forms and len(a.upos) == len(b.upos) and a.heads == b.heads
    assert all("_" not in s.upos for s in out)


def _train(argv):
    from cnlp.cli.train import add_dep_arguments, dep_main
    ap = argparse.ArgumentParser()
    add_dep_arguments(ap)
    args = ap.parse_args(argv)
    args.argv = argv
    return dep_main(args)


def test_train_dep_tagger_and_predicted_parser(files, tmp_path):
    from cnlp.parsing.frontend import LexiconTagger
    from cnlp.parsing.parser import ArcHybridParser
    common = ["--corpus", str(files / "tiny-ud-train.conllu"), "--corpus", str(files / "other-ud-train.conllu"),
              "--dev", str(files / "tiny-ud-train.conllu"), "--bits", "16", "--folds", "2", "--n-iter", "3"]
    assert _train(["--component", "tagger", *common, "--include-dev", "--lexicon", str(files / "pd.txt"),
                   "--treebank-features", "--out", str(tmp_path / "upos"), "--xpos-out", str(tmp_path / "xpos")]) == 0
    t = LexiconTagger.load(tmp_path / "upos")
    assert t.treebank == "tiny" and t.lexicon is not None
    meta = json.loads((tmp_path / "upos" / "meta.json").read_text("utf-8"))
    assert meta["dev_included"] and "--lexicon" in meta["command"]
    assert (tmp_path / "xpos" / "meta.json").is_file()
    assert _train(["--component", "parser", *common, "--tags", "predicted", "--lexicon", str(files / "pd.txt"),
                   "--tagger-treebank-features", "--tagger-n-iter", "2", "--beam", "2", "--treebank-features",
                   "--out", str(tmp_path / "dep")]) == 0
    p = ArcHybridParser.load(tmp_path / "dep")
    words = ["他", "喜欢", "北京", "。"]
    _check_tree(*p.parse(words, t.predict(words)), len(words))
    meta = json.loads((tmp_path / "dep" / "meta.json").read_text("utf-8"))
    assert meta["jackknife_tagger"]["lexicon"] is True


def test_cli_treebank_style(tagger, sents, tmp_path, monkeypatch, capsys):
    import io
    import sys
    from cnlp.cli import parse as parse_cli
    from cnlp.parsing.parser import ArcHybridParser
    tagger.save(tmp_path / "upos")
    ArcHybridParser(beam=2, n_iter=3, bits=16, treebank_features=True, verbose=False).fit(
        sents, default_treebank="tiny").save(tmp_path / "dep")
    ap = argparse.ArgumentParser()
    parse_cli.add_parse_arguments(ap)
    words = ["商品", "和", "服务", "都", "很", "好", "。"]
    text = "".join(f"{i}\t{w}" + "\t_" * 8 + "\n" for i, w in enumerate(words, 1)) + "\n"
    for tb, rc, tag in (("other", 0, "VERB"), ("tiny", 0, "ADJ"), ("nope", 2, None)):
        args = ap.parse_args(["--pretokenized", "--format", "json", "--parser", str(tmp_path / "dep"),
                              "--tagger", str(tmp_path / "upos"), "--treebank", tb])
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
        if rc:
            from cnlp.errors import UsageError
            with pytest.raises(UsageError, match="unknown treebank"):
                parse_cli.parse_main(args)
            assert not capsys.readouterr().out
        else:
            assert parse_cli.parse_main(args) == 0
            assert json.loads(capsys.readouterr().out)["tokens"][5]["pos"] == tag


@pytest.fixture(scope="module")
def guide(files):
    from cnlp.corpus.readers import read_pd98
    from cnlp.train.ud import train_guide
    return train_guide(read_pd98(files / "pd.txt"), n_iter=3, bits=16, prune=0.0)


def test_guide_features(sents, guide, lexicon, tmp_path):
    from cnlp.parsing.frontend import LexiconTagger
    from cnlp.train.ud import train_lexicon_tagger
    from cnlp.pos.features import GUIDE_TEMPLATES
    from cnlp.text import to_codes
    t = train_lexicon_tagger(sents * 2, lexicon=lexicon, guide=guide, treebank_features=True, treebank="tiny",
                             bits=16, folds=2, n_iter=6)
    for s in sents:
        assert t.predict(s.forms, treebank=s.treebank) == s.upos
    words = ["我们", "他", "喜欢", "上海", "。"]
    gt = guide.predict(words)
    assert gt[:3] == ["r", "r", "v"] and gt[4] == "w"
    bounds = np.r_[0, np.cumsum([len(w) for w in words])].astype(np.int32)
    G = t.guide_transform(to_codes("".join(words)), bounds)
    assert G.shape == (5, len(GUIDE_TEMPLATES)) and G.dtype == np.int32
    y0 = G[:, 0].tolist()                                      # gd:y0: one id per guide tag
    assert all((y0[i] == y0[j]) == (gt[i] == gt[j]) for i in range(5) for j in range(5))
    X = t.transform(to_codes("".join(words)), bounds)
    plain = train_lexicon_tagger(sents * 2, lexicon=lexicon, treebank_features=True, treebank="tiny", bits=16,
                                 folds=2, n_iter=1)
    assert X.shape[1] == plain.transform(to_codes("".join(words)), bounds).shape[1] + 2 * len(GUIDE_TEMPLATES)
    t.save(tmp_path / "upos", prune=0.0)
    assert (tmp_path / "upos" / "guide" / "meta.json").is_file()
    back = LexiconTagger.load(tmp_path / "upos")
    assert back.guide is not None and [x.name for x in back.guide_features.templates] == \
        [x.name for x in GUIDE_TEMPLATES]
    for s in sents:
        for tb in (None, "other"):
            assert back.predict(s.forms, treebank=tb) == t.predict(s.forms, treebank=tb)
    meta = json.loads((tmp_path / "upos" / "meta.json").read_text("utf-8"))
    meta["ud_tagger"]["guide_templates"] = ["w0"]
    (tmp_path / "upos" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        LexiconTagger.load(tmp_path / "upos")
    with pytest.raises(ValueError, match="go together"):
        LexiconTagger(t.base, guide=guide)


def test_train_dep_with_guide(files, tmp_path):
    from cnlp.parsing.frontend import LexiconTagger
    base = ["--corpus", str(files / "tiny-ud-train.conllu"), "--corpus", str(files / "other-ud-train.conllu"),
            "--dev", str(files / "tiny-ud-train.conllu"), "--bits", "16", "--folds", "2", "--n-iter", "3"]
    common = base + ["--guide", str(files / "pd.txt"), "--guide-n-iter", "2", "--lexicon", str(files / "pd.txt")]
    assert _train(["--component", "tagger", *common, "--include-dev", "--treebank-features",
                   "--out", str(tmp_path / "upos")]) == 0
    t = LexiconTagger.load(tmp_path / "upos")
    assert t.guide is not None and t.guide.predict(["他"]) == ["r"]
    assert _train(["--component", "parser", *common, "--tags", "mixed", "--tagger-treebank-features",
                   "--tagger-n-iter", "2", "--tagger-seeds", "2", "--beam", "2", "--parser-guide",
                   "--out", str(tmp_path / "dep")]) == 0
    meta = json.loads((tmp_path / "dep" / "meta.json").read_text("utf-8"))
    assert meta["jackknife_tagger"]["guide"] is True and meta["jackknife_tagger"]["seeds"] == 2
    from cnlp.parsing.parser import ArcHybridParser
    assert ArcHybridParser.load(tmp_path / "dep").guide_ is not None
    with pytest.raises(SystemExit, match="needs --guide"):
        _train(["--component", "parser", *base, "--parser-guide", "--out", str(tmp_path / "y")])
    with pytest.raises(SystemExit, match="excludes"):
        _train(["--component", "tagger", *common, "--pd98", str(files / "pd.txt"), "--out", str(tmp_path / "x")])


def test_parser_with_guide_tags(sents, guide, tmp_path):
    from cnlp.parsing import _kernels as K
    from cnlp.parsing.parser import ArcHybridParser
    plain = ArcHybridParser(beam=2, n_iter=3, bits=16, treebank_features=True, verbose=False).fit(sents * 2)
    p = ArcHybridParser(beam=2, n_iter=3, bits=16, treebank_features=True, verbose=False).fit(sents * 2, guide=guide)
    assert p.guide_ is guide and plain.guide_ is None
    assert p.n_feats_ == plain.n_feats_ + 2 * K.N_GUIDE
    words = ["他", "喜欢", "北京", "。"]
    tags = ["PRON", "VERB", "PROPN", "PUNCT"]
    tok = p._table(words, tags)
    assert tok.shape == (6, K.N_TOK + 1)
    assert tok[1:5, K.TG].tolist() == guide.tagset.encode(guide.predict(words)).tolist()
    _check_tree(*p.parse(words, tags), len(words))
    assert p.parse([], []) == ([], [])
    assert p.parse_many([(words, tags), ([], [])]) == [p.parse(words, tags), ([], [])]
    p.save(tmp_path / "saved")                      # the guide is saved first: the checksums cover it
    import json
    assert "guide/meta.json" in json.loads((tmp_path / "saved" / "meta.json").read_text("utf-8"))["checksums"]
    p.save(tmp_path / "dep")
    back = ArcHybridParser.load(tmp_path / "dep")
    assert back.guide_ is not None and back.n_feats_ == p.n_feats_
    for s in sents:
        assert back.parse(s.forms, s.upos) == p.parse(s.forms, s.upos)
    meta = json.loads((tmp_path / "dep" / "meta.json").read_text("utf-8"))
    meta["guide_templates"] = K.N_GUIDE + 1
    from cnlp.io import meta_digest
    meta["checksums"]["meta.json"] = meta_digest(meta)          # crafted: consistent checksums
    (tmp_path / "dep" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelFormatError, match="guide_templates"):
        ArcHybridParser.load(tmp_path / "dep")


def test_tagger_refers_to_the_parsers_guide(files, tmp_path):
    """--guide-model DIR: the UPOS tagger is saved with a reference to DIR (path + sha256 of its
    meta.json) instead of a copy of the guide; a changed or missing guide is refused."""
    from cnlp.errors import ModelFormatError
    from cnlp.parsing.frontend import LexiconTagger, guide_reference
    from cnlp.parsing.parser import ArcHybridParser
    base = ["--corpus", str(files / "tiny-ud-train.conllu"), "--corpus", str(files / "other-ud-train.conllu"),
            "--dev", str(files / "tiny-ud-train.conllu"), "--bits", "16", "--folds", "2", "--n-iter", "2"]
    assert _train(["--component", "parser", *base, "--guide", str(files / "pd.txt"), "--guide-n-iter", "2",
                   "--parser-guide", "--beam", "2", "--out", str(tmp_path / "dep")]) == 0
    assert _train(["--component", "tagger", *base, "--include-dev", "--treebank-features",
                   "--guide-model", str(tmp_path / "dep" / "guide"), "--out", str(tmp_path / "upos")]) == 0
    assert not (tmp_path / "upos" / "guide").exists()
    meta = json.loads((tmp_path / "upos" / "meta.json").read_text("utf-8"))
    assert meta["ud_tagger"]["guide_ref"]["path"] == "../dep/guide"
    assert guide_reference(tmp_path / "upos") == (tmp_path / "dep" / "guide").resolve()
    t = LexiconTagger.load(tmp_path / "upos")
    p = ArcHybridParser.load(tmp_path / "dep")
    words = ["他", "喜欢", "北京"]
    assert t.guide.predict(words) == p.guide_.predict(words)
    assert LexiconTagger.load(tmp_path / "upos", guide=p.guide_).predict(words) == t.predict(words)
    t.save(tmp_path / "again")                                 # re-saved: still a reference, no copy
    assert not (tmp_path / "again" / "guide").exists() and LexiconTagger.load(tmp_path / "again").guide is not None
    gmeta = tmp_path / "dep" / "guide" / "meta.json"
    gmeta.write_text(gmeta.read_text("utf-8").replace("{", "{ ", 1), "utf-8")
    with pytest.raises(ModelFormatError, match="not the one it was trained with"):
        LexiconTagger.load(tmp_path / "upos")
    shutil.rmtree(tmp_path / "dep")
    with pytest.raises(ModelFormatError, match="cannot be read"):
        LexiconTagger.load(tmp_path / "upos")


def test_repeat_per_sentence(sents, lexicon):
    from cnlp.train.ud import train_lexicon_tagger
    kw = dict(lexicon=lexicon, treebank_features=True, treebank="tiny", bits=16, folds=2, n_iter=3)

    def weights(t):
        flat = []
        for x in t.model.decode_params():
            flat.extend(x if isinstance(x, tuple) else [x])
        return np.concatenate([np.ravel(np.asarray(x, np.float64)) for x in flat])
    by_treebank = train_lexicon_tagger(sents, repeat={"tiny": 3}, **kw)
    by_sentence = train_lexicon_tagger(sents, repeat=[3 if s.treebank == "tiny" else 1 for s in sents], **kw)
    assert np.array_equal(weights(by_treebank), weights(by_sentence))
    once = train_lexicon_tagger(sents, repeat=[1] * len(sents), **kw)
    assert np.array_equal(weights(once), weights(train_lexicon_tagger(sents, **kw)))
    assert not np.array_equal(weights(once), weights(by_sentence))
    with pytest.raises(ValueError, match="one count"):
        train_lexicon_tagger(sents, repeat=[1] * (len(sents) - 1), **kw)


def test_segmenter_lexicon(files, tmp_path):
    from cnlp.segmentation.tagging import TaggingSegmenter
    from cnlp.train.ud import train_ud_segmenter
    forms = [s.forms for s in read_ud(files / "tiny-ud-train.conllu")] * 2
    plain = train_ud_segmenter(forms, bits=16, folds=2, n_iter=2)
    seg = train_ud_segmenter(forms, bits=16, folds=2, n_iter=2, lexicon=["语言学家", "喜欢"])
    assert "语言学家" in seg.features.dictionary.trie and "语言学家" not in plain.features.dictionary.trie
    (tmp_path / "words.txt").write_text("语言学家 12 n\n稀有词 2 n\n", encoding="utf-8")
    base = ["--corpus", str(files / "tiny-ud-train.conllu"), "--dev", str(files / "tiny-ud-train.conllu"),
            "--bits", "16", "--n-iter", "2", "--component", "segmenter"]
    assert _train([*base, "--seg-lexicon", str(tmp_path / "words.txt"), "--seg-lexicon-min-freq", "10",
                   "--out", str(tmp_path / "cws")]) == 0
    back = TaggingSegmenter.load(tmp_path / "cws")
    d = back.features.dictionary
    assert "语言学家" in d.trie and "稀有词" not in d.trie
    meta = json.loads((tmp_path / "cws" / "meta.json").read_text("utf-8"))
    assert meta["seg_lexicon_words"] == 1 and "--seg-lexicon" in meta["command"]


def test_lexicon_words(files, tmp_path):
    from cnlp.corpus.readers import read_pd98
    from cnlp.train.ud import WORD_LIST_TAG, lexicon_dictionary, read_tagged_words
    (tmp_path / "jieba.txt").write_text("维基百科 30 nz\n上海 50 n\n霍金 12 nrt\n一些 3 m\n的 9 zg\n无标记 5\n",
                                        encoding="utf-8")
    words = read_tagged_words(tmp_path / "jieba.txt")
    assert words == [("维基百科", "PROPN"), ("上海", "NOUN"), ("霍金", "PROPN"), ("一些", "NUM")]
    assert read_tagged_words(tmp_path / "jieba.txt", min_freq=10) == words[:3]
    for apart in (False, True):
        lex = lexicon_dictionary(read_pd98(files / "pd.txt"), words, apart=apart)
        names = lex.pos_names

        def tags(w):
            i = lex.trie[w]
            return [names[k] for k in lex.pos_ids[lex.pos_offsets[i]:lex.pos_offsets[i + 1]]]
        pre = WORD_LIST_TAG if apart else ""
        assert tags("维基百科") == [pre + "PROPN"] and tags("霍金") == [pre + "PROPN"]
        assert tags("上海") == ["PROPN"] and lex.freq("上海") == 1             # PD98's entry (ns) is kept
