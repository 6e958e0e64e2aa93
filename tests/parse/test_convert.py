"""The UD 1.4 GSD -> GSDSimp converter (cnlp.parsing.convert, scripts/convert_ud14.py) on tiny fixtures."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cnlp.parsing.conllu import read_ud
from cnlp.parsing.convert import convert_rows, to_simplified

ROOT = Path(__file__).resolve().parents[2]


def rows(text):
    return [line.split("\t") for line in text.strip("\n").split("\n")]


def col(rs, k):
    return [r[k] for r in rs]


# 他們 喜歡 這 三 個 國家 的 電影 ,  not(不) ...: renames, characters, punctuation, classifier, 的
V1 = """\
1	他們	_	PRON	PRP	Person=3	2	nsubj	_	_
2	喜歡	_	VERB	VV	_	0	root	_	_
3	三	_	NUM	CD	_	4	nummod	_	_
4	個	_	NOUN	NNB	_	5	nmod	_	_
5	國家	_	NOUN	NN	_	7	det	_	_
6	的	_	PART	DEC	Case=Gen	5	case:dec	_	_
7	電影	_	NOUN	NN	_	2	dobj	_	_
8	.	_	PUNCT	.	_	2	punct	_	_
"""

V1B = """\
1	他	_	PRON	PRP	_	4	nsubjpass	_	_
2	不	_	ADV	RB	_	4	neg	_	_
3	被	_	VERB	BB	_	4	auxpass	_	_
4	選	_	VERB	VV	_	0	root	_	_
5	了	_	PART	AS	Aspect=Perf	4	case:aspect	_	_
6	,	_	PUNCT	,	_	4	punct	_	_
7	和	_	CONJ	CC	_	8	cc	_	_
8	在	_	VERB	VV	_	4	acl	_	_
9	台北	_	PROPN	NNP	_	10	case:suff	_	_
10	市	_	PART	SFN	_	8	nmod	_	_
"""

V1C = """\
1	他	_	PRON	PRP	_	4	nsubj	_	_
2	把	_	VERB	BB	_	4	aux:caus	_	_
3	書	_	NOUN	NN	_	4	dobj	_	_
4	看	_	VERB	VV	_	0	root	_	_
5	的	_	PART	DEC	Case=Rel	4	acl:relcl	_	_
"""


def test_v2_renames_and_characters():
    out = convert_rows(rows(V1B), ["v2"])
    assert col(out, 7) == ["nsubj:pass", "advmod", "aux:pass", "root", "case:aspect", "punct", "cc", "acl",
                           "case:suff", "obl"]
    assert out[1][5] == "Polarity=Neg"                        # neg -> advmod + Polarity=Neg
    assert col(out, 1)[:6] == ["他", "不", "被", "选", "了", "，"]
    assert out[6][3] == "CCONJ" and out[3][6] == "0"
    assert col(convert_rows(rows(V1), ["v2"]), 7)[6] == "obj"
    assert convert_rows(rows(V1), ["v2"])[7][1] == "。"


def test_gsd_rules():
    out = convert_rows(rows(V1))
    # NUM -> NOUN (nummod), classifier -> NUM (clf); 的-phrase nmod; 的 case
    assert col(out, 6) == ["2", "0", "5", "3", "7", "5", "2", "2"]
    assert col(out, 7) == ["nsubj", "root", "nummod", "clf", "nmod", "case", "obj", "punct"]
    out = convert_rows(rows(V1B))
    assert col(out, 7) == ["nsubj:pass", "advmod", "aux:pass", "root", "aux", "punct", "cc", "advcl",
                           "compound", "obl"]
    assert col(out, 3)[2] == "AUX" and col(out, 3)[4] == "AUX"
    out = convert_rows(rows(V1C))
    assert col(out, 6)[1] == "3" and col(out, 7)[1:3] == ["case", "obl:patient"] and out[1][3] == "ADP"
    assert out[4][7] == "mark:rel" and out[4][3] == "SCONJ"
    assert rows(V1C) == rows(V1C)                             # input untouched (copies)
    with pytest.raises(ValueError, match="unknown rule groups"):
        convert_rows(rows(V1), ["v3"])


def test_word_exceptions():
    assert to_simplified("著") == "着" and to_simplified("著名") == "著名" and to_simplified("國家") == "国家"


def test_script_is_reproducible(tmp_path):
    src = tmp_path / "v1.conllu"
    src.write_text(V1 + "\n" + V1B + "\n" + V1C + "\n", encoding="utf-8")
    outs = []
    for k in range(2):
        out = tmp_path / f"zh_gsd14-ud-train{k}.conllu"
        subprocess.run([sys.executable, str(ROOT / "scripts" / "convert_ud14.py"), str(src), str(out)],
                       check=True, capture_output=True, cwd=ROOT)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    sents = read_ud(tmp_path / "zh_gsd14-ud-train0.conllu")
    assert [s.treebank for s in sents] == ["zh_gsd14"] * 3
    assert sents[0].text == "他们喜欢三个国家的电影。" and sents[0].forms[-1] == "。"
    assert not list(tmp_path.glob("*.tmp-*"))


V1D = """\
1	王	_	PROPN	NNP	_	2	nmod	_	_
2	世綱	_	PROPN	NNP	_	3	nsubj	_	_
3	說	_	VERB	VV	_	0	root	_	_
4	蘋果	_	NOUN	NN	_	3	dobj	_	_
5	和	_	CONJ	CC	_	4	cc	_	_
6	梨	_	NOUN	NN	_	4	conj	_	_
7	,	_	PUNCT	,	_	9	punct	_	_
8	他	_	PRON	PRP	_	9	nsubj	_	_
9	笑	_	VERB	VV	_	3	dep	_	_
10	,	_	PUNCT	,	_	12	punct	_	_
11	很	_	ADV	RB	_	12	advmod	_	_
12	好	_	ADJ	JJ	_	9	dep	_	_
"""


def test_names_coordination_and_clause_punctuation():
    out = convert_rows(rows(V1D))
    assert col(out, 1)[:3] == ["王", "世纲", "说"]
    assert col(out, 6)[:2] == ["3", "1"] and col(out, 7)[:2] == ["nsubj", "flat:name"]
    assert col(out, 6)[4] == "6"                              # cc -> the conjunct after it
    assert col(out, 7)[8] == "parataxis" and col(out, 7)[11] == "parataxis"
    assert col(out, 6)[6] == "9" and col(out, 6)[9] == "12"   # ， after the root's phrase: unchanged
    out = convert_rows(rows(V1D.replace("3\tdobj", "9\tdobj")))  # 蘋果和梨 now before a comma, not the root's
    assert col(out, 6)[6] == "4"                              # ， -> the phrase before it (蘋果)
    assert convert_rows(rows(V1D), ["v2"])[4][6] == "6"       # the coordination change is v2


# 去年 他 來 了 , 她 走 了 , 又 回來 了 , 我 很 高興 .  (GSD 1.4: the last clause heads the others)
V1E = """\
1	去年	_	NOUN	NN	_	15	nmod:tmod	_	_
2	他	_	PRON	PRP	_	3	nsubj	_	_
3	來	_	VERB	VV	_	15	advcl	_	_
4	了	_	PART	AS	_	3	case:aspect	_	_
5	,	_	PUNCT	,	_	15	punct	_	_
6	她	_	PRON	PRP	_	7	nsubj	_	_
7	走	_	VERB	VV	_	15	advcl	_	_
8	了	_	PART	AS	_	7	case:aspect	_	_
9	,	_	PUNCT	,	_	15	punct	_	_
10	又	_	ADV	RB	_	11	advmod	_	_
11	回來	_	VERB	VV	_	15	advcl	_	_
12	,	_	PUNCT	,	_	15	punct	_	_
13	我	_	PRON	PRP	_	15	nsubj	_	_
14	很	_	ADV	RB	_	15	advmod	_	_
15	高興	_	VERB	VV	_	0	root	_	_
16	.	_	PUNCT	.	_	15	punct	_	_
"""


def test_clauses_headed_by_the_first_with_a_subject():
    out = convert_rows(rows(V1E))
    head, rel = col(out, 6), col(out, 7)
    assert (head[2], rel[2]) == ("0", "root")                   # 來: its own subject -> heads the sentence
    assert head[0] == "3"                                       # 去年 (before it) moves with the head
    assert (head[6], rel[6]) == ("3", "parataxis")              # 走: a subject -> parataxis, flat
    assert (head[14], rel[14]) == ("3", "parataxis")            # 高興: the old head -> parataxis
    assert (head[10], rel[10]) == ("15", "advcl")               # 回來: no subject -> stays advcl
    assert head[4] == "7" and head[8] == "15"                   # ， before a parataxis clause -> that clause
    assert head[11] == "11"                                     # ， after an advcl -> the advcl
    assert head[15] == "3"                                      # 。 -> the head of the sentence
    assert sum(h == "0" for h in head) == 1
    # without the clauses group the old structure stays; a first clause without a subject stays advcl
    assert col(convert_rows(rows(V1E), ["v2", "gsd"]), 6)[14] == "0"
    no_subj = V1E.replace("2\t他\t_\tPRON\tPRP\t_\t3\tnsubj", "2\t他\t_\tPRON\tPRP\t_\t15\tnsubj")
    no_subj = no_subj.replace("6\t她\t_\tPRON\tPRP\t_\t7\tnsubj", "6\t她\t_\tPRON\tPRP\t_\t15\tnsubj")
    out = convert_rows(rows(no_subj))
    assert col(out, 6)[14] == "0" and col(out, 7)[2] == "advcl"


def test_apposition_is_head_first():
    out = convert_rows(rows(V1D.replace("1\t王\t_\tPROPN\tNNP\t_\t2\tnmod", "1\t經理\t_\tNOUN\tNN\t_\t2\tappos")))
    assert (col(out, 6)[0], col(out, 7)[0]) == ("3", "nsubj")   # 经理 takes 世纲's place
    assert (col(out, 6)[1], col(out, 7)[1]) == ("1", "appos")


def test_sentence_final_particle_is_part():
    out = convert_rows(rows(V1C.replace("5\t的\t_\tPART\tDEC\tCase=Rel\t4\tacl:relcl", "5\t的\t_\tX\tUH\t_\t4\tdiscourse")))
    assert col(out, 3)[4] == "PART" and col(out, 7)[4] == "discourse"
    assert col(convert_rows(rows(V1C.replace("PART\tDEC\tCase=Rel", "X\tUH\t_")), ["v2"]), 3)[4] == "X"


V1F = """\
1	他	_	PRON	PRP	_	2	nsubj	_	_
2	來	_	VERB	VV	_	9	advcl	_	_
3	,	_	PUNCT	,	_	9	punct	_	_
4	但	_	ADV	RB	_	9	mark	_	_
5	她	_	PRON	PRP	_	6	nsubj	_	_
6	走	_	VERB	VV	_	9	advcl	_	_
7	,	_	PUNCT	,	_	9	punct	_	_
8	我	_	PRON	PRP	_	9	nsubj	_	_
9	高興	_	VERB	VV	_	0	root	_	_
"""


def test_clause_words_go_with_their_clause():
    out = convert_rows(rows(V1F))
    assert col(out, 6) == ["2", "0", "6", "6", "6", "2", "9", "9", "2"]
    assert col(out, 7)[3] == "mark" and col(out, 3)[3] == "SCONJ"      # 但 with the clause after it
    assert col(out, 7)[5] == col(out, 7)[8] == "parataxis"


def test_de_particles():
    # 他 跑 得 很 快 (1.4: 快 heads, 跑 its cop) -> 跑 heads, 得 compound:ext, 快 xcomp
    de = "1\t他\t_\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n2\t跑\t_\tVERB\tVV\t_\t5\tcop\t_\t_\n" \
         "3\t得\t_\tPART\tDEV\t_\t5\tmark\t_\t_\n4\t很\t_\tADV\tRB\t_\t5\tadvmod\t_\t_\n5\t快\t_\tADJ\tJJ\t_\t0\troot\t_\t_\n"
    out = convert_rows(rows(de))
    assert col(out, 6) == ["2", "0", "2", "5", "2"]
    assert col(out, 7) == ["nsubj", "root", "compound:ext", "advmod", "xcomp"]
    # 認真 地 學習 -> 地 is mark:adv of the adverbial, SCONJ
    di = "1\t認真\t_\tADJ\tJJ\t_\t3\tadvmod\t_\t_\n2\t地\t_\tPART\tDEV\t_\t3\tmark\t_\t_\n3\t學習\t_\tVERB\tVV\t_\t0\troot\t_\t_\n"
    out = convert_rows(rows(di))
    assert (col(out, 6)[1], col(out, 7)[1], col(out, 3)[1]) == ("1", "mark:adv", "SCONJ")
    assert convert_rows(rows(di), ["v2"])[1][6] == "3"


def test_postposition_is_case():
    pp = "1\t桌子\t_\tNOUN\tNN\t_\t3\tnmod\t_\t_\n2\t上\t_\tADP\tIN\t_\t1\tacl\t_\t_\n3\t有\t_\tVERB\tVV\t_\t0\troot\t_\t_\n"
    out = convert_rows(rows(pp))
    assert col(out, 7)[:2] == ["obl", "case"]
