"""Command line: ``cnlp segment | tag | ner | eval | train TASK | discover | keywords | summarize | classify``.

Sub-commands other than ``segment`` and ``eval`` are registered in :mod:`cnlp.registry`
and imported only when used.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Iterator, TextIO

from . import registry
from .errors import CnlpError


def iter_lines(paths: list[str], stdin: TextIO | None = None) -> Iterator[str]:
    """Yield the lines (without line terminator) of ``paths`` (``-`` or none: stdin), in order.

    Invalid UTF-8 raises :class:`CorpusFormatError` naming the file and line.
    """
    if not paths:
        paths = ["-"]
    from .corpus.readers import iter_lines as _file_lines, iter_stream_lines
    for path in paths:
        if path == "-":
            lines = iter_stream_lines((stdin or sys.stdin).buffer, "<stdin>")
        else:
            lines = _file_lines(path)
        for _, line in lines:
            yield line


def _build_segmenter(args):
    from . import get_segmenter
    if args.dictionary:
        from .dictionary import Dictionary
        from .segment.maxmatch import MaxMatchSegmenter
        algo = args.algorithm or "bimm"
        if algo not in ("fmm", "bmm", "bimm"):
            raise SystemExit(f"cnlp segment: --dictionary replaces the dictionary of the max-match "
                             f"segmenters (fmm, bmm, bimm), not of {algo!r}")
        seg = MaxMatchSegmenter(Dictionary.load_text(args.dictionary, fold=not args.pure),
                               direction={"fmm": "forward", "bmm": "backward"}.get(algo, "both"),
                                atoms=not args.pure)
    else:
        seg = get_segmenter(args.algorithm)
    for path in args.user_dict or []:
        seg = seg.with_user_dict(path) if seg.user_dict is None else seg.with_user_dict(
            seg.user_dict.merged_with_file(path))
    return seg


def cmd_segment(args) -> int:
    seg = _build_segmenter(args)
    out = sys.stdout
    sep = args.delimiter
    for line in iter_lines(args.files):
        words = seg.segment(line)
        if not args.keep_spaces:
            words = [w for w in words if not w.isspace()]
        out.write(sep.join(words))
        out.write("\n")
    out.flush()
    return 0


def cmd_tag(args) -> int:
    """``cnlp tag``: one output line per input line (``word/TAG`` tokens, a CoNLL-U sentence, or a JSON object)."""
    import json
    from . import get_pos_tagger
    from .pipeline import Pipeline
    seg = _build_segmenter(args)
    pos = get_pos_tagger()
    if seg.user_dict is not None:
        pos = pos.with_user_dict(seg.user_dict)
    pipe = Pipeline(seg, pos=pos)
    out = sys.stdout
    for line in iter_lines(args.files):
        doc = pipe(line)
        if args.format == "pd98":
            out.write(doc.to_pd98() + "\n")
        elif args.format == "json":
            out.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(doc.to_conllu() or "\n")
    out.flush()
    return 0


def format_entities(text: str, ents, fmt: str) -> str:
    """One output record of ``cnlp ner`` (with its final newline): ``bio`` one ``char<TAB>tag``
    line per character then a blank line; ``json`` a JSON list of entities; ``inline`` the text
    with ``[entity]/TYPE`` marks."""
    if fmt == "bio":
        from .ner.data import format_bio
        return format_bio(text, [(e.start, e.end, e.type) for e in ents])
    if fmt == "json":
        import json
        return json.dumps([{"text": e.text, "type": e.type, "start": e.start, "end": e.end} for e in ents],
                          ensure_ascii=False) + "\n"
    parts, pos = [], 0
    for e in ents:
        parts.append(text[pos:e.start])
        parts.append(f"[{e.text}]/{e.type}")
        pos = e.end
    parts.append(text[pos:])
    return "".join(parts) + "\n"


def cmd_ner(args) -> int:
    """``cnlp ner``: one output record per input line, always."""
    from . import get_ner
    rec = get_ner()
    if args.user_dict or args.entity_dict:
        from .dictionary import UserDictionary
        from .ner.recognizer import EntityDictionary
        ud = None
        for path in args.user_dict or []:
            ud = UserDictionary.load(path) if ud is None else ud.merged_with_file(path)
        ed = None
        for path in args.entity_dict or []:
            ed = ed or EntityDictionary()
            ed.update_from_file(path)
        rec = rec.with_dictionaries(entities=ed if ed is not None else rec.entities,
                                    user_dict=ud if ud is not None else rec.user_dict)
    out = sys.stdout
    for line in iter_lines(args.files):
        out.write(format_entities(line, rec.predict(line), args.format))
    out.flush()
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate_files
    if args.task == "ner":
        from .evaluate import eval_ner_cli
        print(eval_ner_cli(args.gold, args.pred))
        return 0
    if args.task == "pos":
        from .evaluate import eval_pos_cli
        print(eval_pos_cli(args.gold, args.pred, args.words))
        return 0
    res = evaluate_files(args.gold, args.pred, args.words)
    for k in ("precision", "recall", "f1", "oov_rate", "oov_recall", "iv_recall"):
        print(f"{k:11s} {res[k]:.4f}")
    print(f"{'words':11s} gold={res['gold_words']} pred={res['pred_words']} correct={res['correct']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cnlp", description="Classical Chinese NLP toolkit.")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("segment", help="segment text, one output line per input line")
    s.add_argument("files", nargs="*", help="input files (default: stdin)")
    s.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    s.add_argument("--dictionary", help="dictionary file replacing the default (max-match algorithms)")
    s.add_argument("--user-dict", action="append", metavar="PATH", help="user dictionary (repeatable)")
    s.add_argument("--pure", action="store_true", help="with --dictionary: no atoms and no width folding (the SIGHAN max-match baseline)")
    s.add_argument("-d", "--delimiter", default=" ", help="word delimiter in the output (default: one space)")
    s.add_argument("--keep-spaces", action="store_true", help="also print whitespace tokens")
    s.set_defaults(func=cmd_segment)

    g = sub.add_parser("tag", help="segment and POS-tag text, one output line per input line")
    g.add_argument("files", nargs="*", help="input files (default: stdin)")
    g.add_argument("-a", "--algorithm", choices=sorted(registry.SEGMENTERS), default=None,
                   help=f"segmentation algorithm (default: {registry.DEFAULT_SEGMENTER})")
    g.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); a word's POS column fixes its tag")
    g.add_argument("--format", choices=["pd98", "conllu", "json"], default="pd98",
                   help="pd98: word/TAG tokens separated by single spaces (default); conllu: one sentence per "
                        "line (a blank line for an empty one); json: one object per line")
    g.set_defaults(func=cmd_tag, dictionary=None, pure=False)

    n = sub.add_parser("ner", help="find person (PER), place (LOC) and organization (ORG) names, one output "
                                   "record per input line")
    n.add_argument("files", nargs="*", help="input files (default: stdin)")
    n.add_argument("--format", choices=["bio", "json", "inline"], default="inline",
                   help="inline: the text with [entity]/TYPE marks (default); bio: one char<TAB>tag line per "
                        "character (BIO tags) and a blank line after each input line; json: one JSON list of "
                        "entities per line")
    n.add_argument("--entity-dict", action="append", metavar="PATH",
                   help="entity dictionary, lines 'text TYPE [force|suggest]' (repeatable)")
    n.add_argument("--user-dict", action="append", metavar="PATH",
                   help="user dictionary (repeatable); no entity crosses a forced word")
    n.set_defaults(func=cmd_ner)

    e = sub.add_parser("eval", help="score predictions against gold (cws: SIGHAN P/R/F1, OOV/IV recall; "
                                    "pos: accuracy, accuracy on unseen words, confusions; ner: exact-span "
                                    "P/R/F1 per type and micro-averaged, as conlleval)")
    e.add_argument("task", choices=["cws", "pos", "ner"])
    e.add_argument("--gold", required=True)
    e.add_argument("--pred", required=True)
    e.add_argument("--words", help="training word list defining OOV")
    e.set_defaults(func=cmd_eval)

    t = sub.add_parser("train", help="train a model")
    tsub = t.add_subparsers(dest="task", required=True)
    for task, module in registry.TRAIN_TASKS.items():
        tp = tsub.add_parser(task, help=f"train the {task} model")
        tp.set_defaults(_module=module, _entry="train_main", _adder="add_train_arguments")
    for cmd, module in registry.COMMANDS.items():
        cp = sub.add_parser(cmd, help=f"{cmd} (see `cnlp {cmd} --help`)")
        cp.set_defaults(_module=module, _entry="cli_main", _adder="add_cli_arguments")
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    # Lazily let the chosen module add its own arguments, then parse again.
    rest = [a for a in argv if a not in ("-h", "--help")]
    if not rest:            # bare `cnlp --help` (or nothing): argparse prints help / the usage error
        args = parser.parse_args(argv)
    try:   # first pass without --help, so a lazily loaded module can add its options first
        args, _ = parser.parse_known_args(rest)
    except SystemExit:
        args = parser.parse_args(argv)
    if getattr(args, "_module", None):
        mod = importlib.import_module(args._module)
        sp = _find_subparser(parser, argv)
        getattr(mod, args._adder)(sp)
        args = parser.parse_args(argv)
        func = getattr(mod, args._entry)
    else:
        args = parser.parse_args(argv)
        func = args.func
    args.argv = list(argv)
    try:
        return func(args) or 0
    except (CnlpError, OSError) as e:
        print(f"cnlp: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _find_subparser(parser, argv):
    """The innermost sub-parser selected by ``argv`` (``train TASK`` or a command)."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    sp = action.choices[next(x for x in argv if x in action.choices)]
    if argv[argv.index(next(x for x in argv if x in action.choices))] == "train":
        inner = next(a for a in sp._actions if isinstance(a, argparse._SubParsersAction))
        rest = argv[argv.index("train") + 1:]
        sp = inner.choices[next(x for x in rest if x in inner.choices)]
    return sp


if __name__ == "__main__":
    raise SystemExit(main())
