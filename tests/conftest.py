"""Shared fixtures: tiny data written to tmp_path, and the shared corpora (skipped when absent)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from cnlp.io import corpora_dir

# No per-example deadline: the first example of a run may include Numba compilation (a fresh
# checkout has no kernel cache) and CI machines are shared; a deadline there fails at random.
settings.register_profile("cnlp", deadline=None)
settings.load_profile("cnlp")

# The one-line "compiling on first use" notice (cnlp._jit.notice) goes to stderr on a cold Numba
# cache; tests that compare stderr exactly must not see it (tests/test_kernel_cache.py turns it on).
os.environ.setdefault("CNLP_NO_NOTICE", "1")

CORPORA = corpora_dir()
HAVE_CORPORA = (CORPORA / "pd1998" / "199801.txt").is_file()


def pytest_collection_modifyitems(config, items):
    if HAVE_CORPORA:
        return
    skip = pytest.mark.skip(reason=f"shared corpora not found at {CORPORA} (set CNLP_CORPORA)")
    for item in items:
        if item.get_closest_marker("corpus"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not HAVE_CORPORA:
        pytest.skip(f"shared corpora not found at {CORPORA} (set CNLP_CORPORA)")
    return CORPORA


TINY_PD98 = """\
迈向/v  充满/v  希望/n  的/u  新/a  世纪/n  ——/w  一九九八年/t  新年/t  讲话/n
中共中央/nt  总书记/n  、/w  国家/n  主席/n  江/nr  泽民/nr
我们/r  研究/v  生命/n  的/u  起源/n  。/w
商品/n  和/c  服务/vn  都/d  很/d  好/a  。/w
他/r  说/v  的/u  确实/ad  在理/a  。/w
"""


@pytest.fixture
def tiny_pd98(tmp_path) -> Path:
    p = tmp_path / "tiny_pd98.txt"
    p.write_text(TINY_PD98, encoding="utf-8")
    return p


TINY_WORDS = ["研究", "研究生", "生命", "起源", "命", "商品", "和服", "服务", "和", "的", "确实",
              "在理", "他", "说", "我们", "中共中央", "总书记", "国家", "主席", "世纪"]


@pytest.fixture
def tiny_words() -> list[str]:
    return list(TINY_WORDS)


def as_legacy(directory) -> None:
    """Drop the integrity fields (``checksums``, ``arrays``) from a bundle's meta.json, as in
    bundles saved before they existed: for tests that rewrite a bundle's files on purpose to
    reach the loader's consistency checks."""
    import json
    p = Path(directory) / "meta.json"
    meta = json.loads(p.read_text("utf-8"))
    meta.pop("checksums", None)
    meta.pop("arrays", None)
    p.write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
