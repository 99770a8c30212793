"""The command line of publishing: publish, publications, deliver (added to python -m gengdi)."""
from __future__ import annotations

import argparse
import getpass
import json


def _weights(text: str) -> dict[str, float]:
    """--weights 耕地=30,永农=20,... (the short names of the indicators, in percent)."""
    from . import metrics as M

    names = {v: k for k, v in M.SHORT_NAMES.items()} | {M.weight_name(k): k for k in M.INDICATORS}
    names["任务完成率"] = "task_rate"
    out = {}
    for part in text.replace("，", ",").split(","):
        if not part.strip():
            continue
        name, _, value = part.partition("=")
        if name.strip() not in names:
            raise argparse.ArgumentTypeError(f"权重“{name.strip()}”未知：可用 {'、'.join(names)}")
        try:
            out[names[name.strip()]] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"权重“{part.strip()}”的值不是数字") from None
    return out


def cmd_publish(args: argparse.Namespace) -> int:
    cli = args.cli
    CliError = cli.CliError
    from .notice import FontMissing
    from .publications import PublishRefused, publish
    from .ranking import RankSettings
    from .scope import Scope
    from .summary import NoData, resolve_scope
    from .versions import Busy

    as_of = cli._as_of(args)
    path, db = cli._open_store(args.data)
    args.by = None
    try:
        scope = cli._scope(db, args)
        scope = scope if isinstance(scope, Scope) else resolve_scope(db, scope)
        weights = args.weights
        if weights is not None:
            from . import metrics as M
            weights = {**{k: 0.0 for k in M.INDICATORS}, **weights}
        settings = RankSettings.make(weights, args.categories.split(",") if args.categories else None)
        pub, created = publish(path, scope, as_of, settings=settings, who=args.who or getpass.getuser(),
                               force=args.force, require_complete=args.require_complete)
    except (NoData, PublishRefused, FontMissing, Busy, ValueError) as e:
        raise CliError(str(e)) from None
    if not created:
        print(f"{pub['title']}已于 {pub['published_at'].replace('T', ' ')} 发布（{pub['number']}，编号 {pub['id']}），"
              "未重复发布。需要更正时加 --force。")
        return 0
    print(f"已发布：{pub['title']}（{pub['number']}{'，更正' if pub['kind'] == '更正' else ''}）")
    print(f"  编号 {pub['id']}；数据版本 {pub['version_id']}；文件 {path / 'publications' / pub['id']}")
    from .delivery import deliver

    report = deliver(path, pub)
    for line in report:
        print("  " + line)
    return 0


def cmd_publications(args: argparse.Namespace) -> int:
    from . import fmt
    from .publications import all_publications

    path = args.cli.resolve_data_dir(args.data)
    pubs = all_publications(path)
    if args.json:
        print(json.dumps(pubs, ensure_ascii=False, indent=2))
        return 0
    if not pubs:
        print("还没有发布过通报。")
        return 0
    rows = [[p["id"], p["number"], p["title"], p["published_at"].replace("T", " ")[:16], p["published_by"],
             p["version_id"]] for p in pubs]
    print(fmt.text_table(["编号", "文号", "标题", "发布时间", "发布人", "数据版本"], rows))
    return 0


def cmd_deliver(args: argparse.Namespace) -> int:
    from .delivery import retry_failed

    path = args.cli.resolve_data_dir(args.data)
    lines = retry_failed(path)
    print("\n".join(lines) if lines else "没有待重试的推送。")
    return 0


def add_parsers(sub, cli) -> None:
    """``cli``: the module of the command line (its CliError and helpers; it runs as __main__)."""
    p = sub.add_parser("publish", help="发布月度通报（存档 PDF/Word，固定数据版本，推送订阅者）")
    cli._as_of_arguments(p)
    p.add_argument("--province", help="省级行政区划代码：发布全省通报")
    p.add_argument("--country", action="store_true", help="发布全国通报")
    p.add_argument("--weights", type=_weights, help="综合排名权重（%%），例如 耕地=30,永农=20,保障率=20,批而未供=15,闲置=15")
    p.add_argument("--categories", help="计入保障率的项目类别，逗号分隔（默认全部）")
    p.add_argument("--require-complete", action="store_true", help="有单位未报送本月台账时不发布（并列出单位）")
    p.add_argument("--force", action="store_true", help="同一月份已发布时重新发布为更正（新文号）")
    p.add_argument("--who", help="发布人（默认当前系统用户）")
    p.set_defaults(func=cmd_publish, cli=cli)

    a = sub.add_parser("publications", help="已发布的通报")
    a.add_argument("--data", help="数据目录")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_publications, cli=cli)

    d = sub.add_parser("deliver", help="重试推送失败的通报（邮件、企业微信、钉钉）")
    d.add_argument("--data", help="数据目录")
    d.set_defaults(func=cmd_deliver, cli=cli)
