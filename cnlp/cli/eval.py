"""``cnlp eval cws|pos|ner|dep``: score predictions against gold."""
from __future__ import annotations

import os
import sys

from ..errors import UsageError

__all__ = ["add_parser", "cmd_eval"]


def add_parser(sub) -> None:
    """The ``eval`` sub-parser."""
    e = sub.add_parser("eval", help="score predictions against gold (cws: SIGHAN P/R/F1, OOV/IV recall; "
                                    "pos: accuracy, accuracy on unseen words, confusions; ner: exact-span "
                                    "P/R/F1 per type and micro-averaged, as conlleval; dep: CoNLL 2018 "
                                    "UPOS/XPOS/UAS/LAS)")
    e.add_argument("task", choices=["cws", "pos", "ner", "dep"])
    e.add_argument("--gold", required=True, metavar="FILE")
    e.add_argument("--pred", required=True, metavar="FILE", help="predictions (- for stdin)")
    e.add_argument("--words", help="training word list defining OOV")
    e.set_defaults(func=cmd_eval)


def cmd_eval(args) -> int:
    if "-" in (args.gold, args.words) or args.gold == args.pred == "-":
        raise UsageError("only --pred may be - (stdin)")
    if args.pred == "-":
        import shutil
        import tempfile
        with tempfile.TemporaryDirectory(prefix="cnlp-eval-") as tmp:
            path = os.path.join(tmp, "stdin")
            with open(path, "wb") as f:
                shutil.copyfileobj(sys.stdin.buffer, f)
            args.pred = path
            return _eval(args)
    return _eval(args)


def _eval(args) -> int:
    from ..eval_files import evaluate_files
    if args.task == "ner":
        from ..eval_files import eval_ner_cli
        print(eval_ner_cli(args.gold, args.pred))
        return 0
    if args.task == "dep":
        from ..parsing.evaluate import eval_dep_cli
        print(eval_dep_cli(args.gold, args.pred))
        return 0
    if args.task == "pos":
        from ..eval_files import eval_pos_cli
        print(eval_pos_cli(args.gold, args.pred, args.words))
        return 0
    res = evaluate_files(args.gold, args.pred, args.words)
    for k in ("precision", "recall", "f1", "oov_rate", "oov_recall", "iv_recall"):
        print(f"{k:11s} {res[k]:.4f}")
    print(f"{'words':11s} gold={res['gold_words']} pred={res['pred_words']} correct={res['correct']}")
    return 0
