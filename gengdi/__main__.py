"""The command line: python -m gengdi demo | summary | import | history | rollback | export-ledger | notice | template
| hash-password | bench | load | serve | publish | publications | deliver."""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path

from . import clock, config, fmt
from . import metrics as M
from .ranking import in_rank_order
from .versions import MissingVersion
from .scope import label


class CliError(Exception):
    """A user error: one Chinese line, exit code 2."""


class ChineseParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors, in Chinese
        message = (message.replace("the following arguments are required", "缺少必需的参数")
                   .replace("argument ", "参数 ").replace("invalid choice", "无效的选项")
                   .replace("unrecognized arguments", "无法识别的参数")
                   .replace("expected one argument", "需要一个值")
                   .replace("choose from", "可选"))
        raise CliError(f"参数错误：{message}（用 python -m gengdi {self.prog.split()[-1] if ' ' in self.prog else ''} --help 查看用法）".replace("  ", " "))


def parse_month(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 2000 <= int(m.group(1)) <= 2100:
        raise CliError(f"月份“{text}”无效：应为 YYYY-MM，例如 2023-06")
    return int(m.group(1)), int(m.group(2))


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"日期“{text}”无效：应为 YYYY-MM-DD，例如 2023-06-15") from None


def resolve_data_dir(arg: str | None, must_exist: bool = True) -> Path:
    path = config.data_dir(arg)
    if must_exist and not path.is_dir():
        raise CliError(f"数据目录 {path} 不存在")
    return path


# ---------------------------------------------------------------------------- commands
def cmd_demo(args: argparse.Namespace) -> int:
    from .scale import write_scale

    path = resolve_data_dir(args.data, must_exist=False)
    counts = write_scale(path, args.scale)
    what = {"city": "焦作市示例数据", "province": "省级规模合成数据（河南省，含焦作市示例数据）",
            "national": "全国规模合成数据（31个省级单位，含焦作市示例数据）"}[args.scale]
    print(f"已生成{what}：{path}")
    for name, title in (("units", "区划"), ("cultivated", "耕地年度"), ("projects", "重点项目"),
                        ("parcels", "批而未供和闲置土地"), ("tasks", "年度任务")):
        print(f"  {title}：{counts.get(name, 0)} 行")
    return 0


def _as_of(args: argparse.Namespace) -> dt.date:
    year, month = parse_month(args.month)
    if args.date is None:
        return M.month_end(year, month)
    d = parse_date(args.date)
    if (d.year, d.month) != (year, month):
        raise CliError(f"日期 {d.isoformat()} 不在 --month {args.month} 所指的月份内")
    return d


def _scope(db, args: argparse.Namespace):
    """--city (a city, the default), --province CODE or --country: what the summary covers."""
    from .queries import areas
    from .scope import BY_OPTIONS, Scope

    given = [x for x in (args.city, args.province, args.country or None) if x]
    if len(given) > 1:
        raise CliError("--city、--province、--country 只能选一个")
    if args.province:
        a = areas(db)
        row = a[(a["level"] == "province") & (a["code"] == args.province)]
        if row.empty:
            have = "、".join(f"{r.code} {r.name}" for r in a[a["level"] == "province"].itertuples())
            raise CliError(f"未知的省级行政区划代码 {args.province}；数据中有：{have}")
        scope = Scope("province", args.province, str(row["name"].iloc[0]))
    elif args.country:
        scope = Scope.country()
    else:
        scope = args.city   # a city code, or None for the only city
    if args.by:
        level = scope.level if isinstance(scope, Scope) else "city"
        if args.by not in BY_OPTIONS[level]:
            raise CliError(f"--by {args.by} 不适用于{'全国' if level == 'country' else '省' if level == 'province' else '市'}："
                           f"可选 {'、'.join(BY_OPTIONS[level])}")
    return scope


def _points(text: str) -> float:
    """--pace-tolerance in percentage points (5 → 0.05)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是数字（百分点，例如 5）") from None
    if not 0 <= x <= 100:
        raise argparse.ArgumentTypeError(f"“{text}”应在 0 到 100 个百分点之间")
    return x / 100


def cmd_summary(args: argparse.Namespace) -> int:
    from .summary import NoData, build_summary, units_frame

    as_of = _as_of(args)
    path, db = _open_store(args.data)
    try:
        summary = build_summary(db, _scope(db, args), as_of, by=args.by, pace_tolerance=args.pace_tolerance)
    except NoData as e:
        raise CliError(str(e)) from None
    if args.format == "xlsx":
        from .export import ranking_workbook
        from .store import read_meta

        if not args.out:
            raise CliError("--format xlsx 需要用 --out 指定输出文件，例如 --out 排名.xlsx")
        demo = "示例数据：县级数字为合成数据。" if read_meta(path).get("demo") else None
        Path(args.out).write_bytes(ranking_workbook(summary, note=demo))
        print(f"已写入 {args.out}")
        return 0
    summary.pop("weights", None)
    if args.format == "json":
        text = json.dumps(summary, ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        buf = io.StringIO()
        from .export import csv_frame

        csv_frame(units_frame(summary)).to_csv(buf, index=False, lineterminator="\n")
        text = buf.getvalue()
    else:
        text = summary_table(summary) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8-sig" if args.format == "csv" else "utf-8")
        print(f"已写入 {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def summary_table(s: dict) -> str:
    as_of = dt.date.fromisoformat(s["as_of"])
    c = s["city"]
    head = [
        f"{c['name']}（{c['code']}）耕地保护和用地保障情况  截至{fmt.date_label(as_of)}  耕地数据年度：{s['data_year'] or fmt.DASH}",
        f"耕地 {fmt.wan_mu(c['cultivated_mu'])}／目标 {fmt.wan_mu(c['cultivated_target_mu'])}（{fmt.pct(c['cultivated_rate'])}）；"
        f"永久基本农田 {fmt.wan_mu(c['basic_farmland_mu'])}／任务 {fmt.wan_mu(c['basic_farmland_target_mu'])}（{fmt.pct(c['basic_farmland_rate'])}）",
        f"重点项目 {c['projects_guaranteed']}/{c['projects_total']} 个已保障（{fmt.pct(c['projects_rate'])}）："
        + "，".join(f"{k} {v['guaranteed']}/{v['total']}（{fmt.pct(v['rate'])}）" for k, v in c["projects_by_category"].items()),
        f"批而未供 已处置 {fmt.mu(c['unsupplied_disposed_mu'])}／{fmt.mu(c['unsupplied_mu'])}（{fmt.pct(c['unsupplied_rate'])}）；"
        f"闲置土地 已处置 {fmt.mu(c['idle_disposed_mu'])}／{fmt.mu(c['idle_mu'])}（{fmt.pct(c['idle_rate'])}）",
        "",
    ]
    headers = ["综合排名", "单位", *M.SHORT_NAMES.values(), "综合得分", "较上月"]
    units = in_rank_order(s["units"])
    rows = []
    for u in units:
        rows.append([
            fmt.DASH if u["composite_rank"] is None else str(u["composite_rank"]),
            label(u),
            *(f"{fmt.pct(u[k])}（{u['ranks'][k] or fmt.DASH}）" for k in M.INDICATORS),
            fmt.score(u["composite_score"]),
            fmt.rank_change(u["rank_change"]),
        ])
    right = set(range(2, len(headers)))
    return "\n".join(head) + "\n" + fmt.text_table(headers, rows, right) + "\n\n" + M.COMPOSITE_RULE


def _print_problems(problems, limit: int = 200) -> None:
    for p in problems[:limit]:
        print("  " + p.message, file=sys.stderr)
    if len(problems) > limit:
        print(f"  ……另有 {len(problems) - limit} 个问题未列出", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    import time

    from .ingest import import_files
    from .versions import Busy

    path = resolve_data_dir(args.data, must_exist=False)
    files = []
    for name in args.files:
        f = Path(name)
        if not f.is_file():
            raise CliError(f"文件 {name} 不存在")
        files.append((f.name, f.read_bytes()))
    started = time.perf_counter()
    try:
        if args.dry_run:     # the check alone runs in a memory-limited child (as on the import page)
            from .ingest.sandbox import check_files

            result = check_files(path, files, mode=args.mode)
        else:
            result = import_files(path, files, mode=args.mode, confirm_deletions=args.confirm_delete, by="命令行")
    except Busy as e:
        raise CliError(str(e)) from None
    took = time.perf_counter() - started
    return _import_report(result, args, took)


EXIT_NEEDS_CONFIRMATION = 3   # replace mode would delete rows: nothing written, rerun with --confirm-delete


def _import_report(result, args: argparse.Namespace, took: float) -> int:
    for w in result.warnings:
        print("提示：" + w.message)
    if not result.ok:
        print(f"导入被拒绝：发现 {len(result.problems)} 个问题，数据未作任何改动（台账格式见项目文档 docs/台账格式.md）。",
              file=sys.stderr)
        _print_problems(result.problems)
        return 1
    changed = [c for c in result.changes if c.changed]
    rows = [[c.table, c.code, c.name, "" if c.year is None else str(c.year), str(c.added), str(c.replaced),
             str(c.unchanged), str(c.removed)] for c in result.changes]
    print(fmt.text_table(["表", "代码", "单位", "年度", "新增", "替换", "未变", "删除"], rows, right={4, 5, 6, 7}))
    if args.preview:
        df = result.rows_frame()
        print(f"\n逐行变化（{len(df)} 行）：")
        print(fmt.text_table(list(df.columns), df.astype(str).values.tolist()) if len(df) else "（无）")
    if result.deletions and result.mode == "replace":
        print("\n删除：", file=sys.stderr)
        for c in result.deletions:
            print("  " + c.deletion_text, file=sys.stderr)
    if args.dry_run:
        print(f"试导入（--dry-run，{result.mode}）：检查通过，{len(changed)} 个（表、单位、年度）将有变化，未写入。用时 {took:.2f} 秒。")
    elif result.needs_confirmation:
        print(f"未导入：替换模式将删除 {result.deleted_rows} 行（见上）。如文件是这些单位、年度的完整清单，"
              "请加 --confirm-delete 重新运行；只想更新文件中的行请用 --mode update。数据未作任何改动。", file=sys.stderr)
        return EXIT_NEEDS_CONFIRMATION
    elif result.version:
        print(f"导入完成：{len(changed)} 个（表、单位、年度）有变化，版本 {result.version}。用时 {took:.2f} 秒。")
    else:
        print(f"数据与库中完全相同，没有变化，未新建版本。用时 {took:.2f} 秒。")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from .versions import history

    path = resolve_data_dir(args.data)
    entries = history(path)
    if not entries:
        print("还没有导入记录（数据为初始版本）。")
        return 0
    rows = []
    for h in entries:
        what = ("导入 " + "、".join(f["name"] for f in h["files"])) if h["kind"] == "import" else f"回滚 {h['undoes']}"
        rows.append([("* " if h["current"] else "  ") + h["id"], clock.shown(h["time"]), what,
                     str(len(h.get("changes", []))), fmt.some(list(h.get("units", [])), 4)])
    print(fmt.text_table(["版本", "时间", "内容", "变化项", "涉及单位"], rows))
    print("* 为当前版本。用 python -m gengdi rollback 版本 撤销某次导入。")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from .ingest import rollback
    from .versions import Busy

    path = resolve_data_dir(args.data)
    try:
        new = rollback(path, args.id)
    except KeyError:
        raise CliError(f"没有版本 {args.id}（用 python -m gengdi history 查看）") from None
    except Busy as e:
        raise CliError(str(e)) from None
    print(f"已撤销 {args.id}：数据恢复到该次导入之前，新版本 {new}。")
    return 0


def cmd_export_ledger(args: argparse.Namespace) -> int:
    from .ingest.workbook import export_ledger
    from .summary import NoData, resolve_city

    path, db = _open_store(args.data)
    try:
        code, name = resolve_city(db, args.city)
    except NoData as e:
        raise CliError(str(e)) from None
    Path(args.out).write_bytes(export_ledger(path, code))
    print(f"已将{name}（{code}）的数据写成台账：{args.out}")
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    from .ingest import demo_cities
    from .notice import FontMissing, build_notice, notice_docx, notice_pdf
    from .store import read_meta
    from .summary import NoData, build_summary

    as_of = _as_of(args)
    out = Path(args.out)
    if out.suffix.lower() not in (".pdf", ".docx"):
        raise CliError("--out 应以 .pdf 或 .docx 结尾")
    path, db = _open_store(args.data)
    try:
        scope = _scope(db, args)
        s = build_summary(db, scope, as_of, by=args.by)
        prev = build_summary(db, scope, M.previous_month_end(as_of), by=args.by)   # the same settings
        cities = demo_cities(read_meta(path))
        demo = s["city"]["code"] in cities or (s.get("scope") is not None and bool(cities))
        from .queries import areas
        from .reporting import missing
        from .scope import Scope

        place = scope if isinstance(scope, Scope) else Scope("city", s["city"]["code"], s["city"]["name"])
        n = build_notice(s, prev, demo=demo, missing=missing(path, areas(db), place, as_of))
        out.write_bytes(notice_pdf(n) if out.suffix.lower() == ".pdf" else notice_docx(n))
    except (NoData, FontMissing) as e:
        raise CliError(str(e)) from None
    print(f"已写入通报：{out}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .ingest.workbook import template

    Path(args.out).write_bytes(template())
    print(f"已写入台账模板：{args.out}")
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Read a password twice (hidden on a terminal, one line each from a pipe) and print its argon2id hash."""
    import getpass

    from .auth import hash_password

    def ask(prompt: str) -> str:
        if sys.stdin.isatty():
            return getpass.getpass(prompt)
        line = sys.stdin.readline()
        return line.rstrip("\r\n")

    first = ask("密码：")
    if not first:
        raise CliError("密码不能为空")
    if ask("再输入一次：") != first:
        raise CliError("两次输入的密码不一致")
    print(hash_password(first))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from . import bench

    data = resolve_data_dir(args.data, must_exist=False) if args.data else None
    say = (lambda m: print(m, file=sys.stderr)) if args.json else print
    args.load_workers = args.load_workers or [1]
    if args.load and (min(args.load) < 1 or min(args.load_workers) < 1):
        raise CliError("--load 和 --load-workers 至少为 1")
    try:
        out = bench.run(args.scale, data, repeat=args.repeat, pages=not args.no_pages, log=say)
    except bench.NotABenchStore as e:
        raise CliError(str(e)) from None
    if args.load:
        from . import loadtest

        store = Path(out["data_dir"]) if out.get("data_dir") else (data or bench.default_dir(args.scale))
        out["load"] = [loadtest.measure(store, n, args.load_duration, workers=w, log=say)
                       for n in args.load for w in args.load_workers]
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(bench.report(out))
        if args.load:
            from . import loadtest

            for r in out["load"]:
                print(loadtest.report(r | {"url": f"{r['workers']} 个进程"}))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from . import loadtest

    if args.users < 1 or args.duration <= 0:
        raise CliError("--users 至少为 1，--duration 应大于 0")
    out = loadtest.run(args.url, args.users, args.duration, think=args.think, prev_month=args.month,
                       pids=args.pid)
    print(json.dumps(out, ensure_ascii=False, indent=2) if args.json else loadtest.report(out))
    return 1 if out["errors"] or not out["views"] else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import ServeError, serve

    if not 1 <= args.workers <= 64:
        raise CliError("--workers 应在 1 到 64 之间")
    data = resolve_data_dir(args.data) if args.data else None
    try:
        return serve(args.workers, args.port, args.host, data)
    except ServeError as e:
        raise CliError(str(e)) from None


def _as_of_arguments(p: argparse.ArgumentParser) -> None:
    """--month, --date, --city, --data: which city, as of when, from which store."""
    p.add_argument("--month", required=True, help="月份 YYYY-MM，截至该月最后一天")
    p.add_argument("--date", help="截至日期 YYYY-MM-DD（须在该月内），用于周通报")
    p.add_argument("--city", help="市级行政区划代码；数据中只有一个市时可省略")
    p.add_argument("--data", help="数据目录（默认 $GENGDI_DATA 或 ./data）")


def _scope_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--province", help="省级行政区划代码（如 410000）：汇总全省，排名其各市")
    p.add_argument("--country", action="store_true", help="汇总全国，排名各省")
    p.add_argument("--by", choices=["province", "city", "unit"],
                   help="排名对象：province 省、city 市、unit 县级单位（默认为下一级）")


def _open_store(arg: str | None):
    """(data directory, database) of a store that exists and holds data, or a CliError."""
    from .db import get_database

    path = resolve_data_dir(arg)
    db = get_database(path)
    if not db.has_data():
        raise CliError(f"数据目录 {path} 中没有数据（可先运行 python -m gengdi demo 生成示例数据）")
    return path, db


def build_parser() -> ChineseParser:
    p = ChineseParser(prog="python -m gengdi", description="gengdi 耕地保护和用地保障统计看板的命令行")
    sub = p.add_subparsers(dest="command", parser_class=ChineseParser, metavar="命令")

    d = sub.add_parser("demo", help="生成示例数据（默认焦作市；--scale province|national 为合成的省级、全国规模数据）")
    d.add_argument("--scale", choices=["city", "province", "national"], default="city",
                   help="city：焦作市示例数据（默认）；province：河南省18个市；national：全国约2,850个县级单位")
    d.add_argument("--data", help="数据目录（默认 $GENGDI_DATA 或 ./data）")
    d.set_defaults(func=cmd_demo)

    s = sub.add_parser("summary", help="某月的指标汇总和排名（docs/口径.md）")
    _as_of_arguments(s)
    _scope_arguments(s)
    s.add_argument("--pace-tolerance", type=_points, default=None, metavar="百分点",
                   help="年度任务：落后时间进度超过多少个百分点算“滞后”（默认 0）")
    s.add_argument("--format", choices=["json", "csv", "table", "xlsx"], default="table")
    s.add_argument("--out", help="写入文件而不是标准输出（xlsx 必须指定；csv 写入时带 BOM）")
    s.set_defaults(func=cmd_summary)

    i = sub.add_parser("import", help="导入台账（Excel/CSV），全部通过才写入")
    i.add_argument("files", nargs="+", metavar="FILE", help="台账文件（.xlsx 或 .csv，可多个）")
    i.add_argument("--data", help="数据目录（默认 $GENGDI_DATA 或 ./data）")
    i.add_argument("--dry-run", action="store_true", help="只检查并列出将发生的变化，不写入")
    i.add_argument("--mode", choices=["replace", "update"], default="replace",
                   help="replace（默认）：文件是其中各单位、年度的完整清单，文件中没有的行被删除；"
                        "update：只新增或修改文件中的行，从不删除（每月增量）")
    i.add_argument("--confirm-delete", action="store_true",
                   help="确认文件是完整清单：替换模式要删除行时必须加上，否则不写入并以状态 3 退出")
    i.add_argument("--preview", action="store_true", help="逐行列出变化（编号、字段、原值 → 新值；新增、删除的整行）")
    i.set_defaults(func=cmd_import)

    h = sub.add_parser("history", help="导入和回滚记录")
    h.add_argument("--data", help="数据目录")
    h.set_defaults(func=cmd_history)

    r = sub.add_parser("rollback", help="撤销某次导入（恢复到它之前的数据）")
    r.add_argument("id", help="版本号（见 history）")
    r.add_argument("--data", help="数据目录")
    r.set_defaults(func=cmd_rollback)

    e = sub.add_parser("export-ledger", help="把库中数据写成台账（.xlsx），可编辑后再导入")
    e.add_argument("--city", help="市级行政区划代码；只有一个市时可省略")
    e.add_argument("--out", required=True, help="输出文件，例如 台账.xlsx")
    e.add_argument("--data", help="数据目录")
    e.set_defaults(func=cmd_export_ledger)

    n = sub.add_parser("notice", help="生成月度通报（A4 PDF 或 Word）；--province、--country 为全省、全国通报")
    _as_of_arguments(n)
    _scope_arguments(n)
    n.add_argument("--out", required=True, help="输出文件：通报.pdf 或 通报.docx")
    n.set_defaults(func=cmd_notice)

    b = sub.add_parser("bench", help="性能基准：汇总、全国排名、各页面重跑、与 pandas 对比、峰值内存")
    b.add_argument("--scale", choices=["city", "province", "national"], default="city")
    b.add_argument("--data", help="基准数据目录（默认 .bench/<规模>，缺少时自动生成）")
    b.add_argument("--repeat", type=int, default=15, help="汇总计时的重复次数（取中位数）")
    b.add_argument("--no-pages", action="store_true", help="不测页面重跑（AppTest）")
    b.add_argument("--load", type=int, action="append", metavar="N",
                   help="另做负载测试：N 个并发访问者（可多次给出，如 --load 1 --load 25 --load 50）")
    b.add_argument("--load-duration", type=float, default=60, help="每次负载测试的秒数（默认 60）")
    b.add_argument("--load-workers", type=int, action="append", metavar="W",
                   help="负载测试的进程数（默认 1；可多次给出，如 --load-workers 1 --load-workers 2，2 个以上经 nginx）")
    b.add_argument("--json", action="store_true", help="输出一个 JSON 对象（进度写到标准错误）")
    b.set_defaults(func=cmd_bench)

    lo = sub.add_parser("load", help="负载测试：N 个模拟访问者经 Streamlit 的 websocket 协议浏览各页面")
    lo.add_argument("--url", default="http://127.0.0.1:8501", help="看板地址（默认 http://127.0.0.1:8501）")
    lo.add_argument("--users", type=int, default=10, help="并发访问者数（默认 10）")
    lo.add_argument("--duration", type=float, default=30, help="持续秒数（默认 30）")
    lo.add_argument("--think", type=float, default=1.0, help="两次浏览之间的平均间隔秒数（默认 1）")
    lo.add_argument("--month", default="2023年5月", help="“换月份”一步所选的月份（默认 2023年5月）")
    lo.add_argument("--pid", type=int, action="append",
                    help="服务器进程号（可多次给出）；默认自动查找本机监听该端口的进程（及 gengdi serve 启动的全部进程）")
    lo.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
    lo.set_defaults(func=cmd_load)

    sv = sub.add_parser("serve", help="多进程部署：N 个看板进程，前面由 nginx 统一对外（会话粘滞）")
    sv.add_argument("--workers", type=int, default=2, help="看板进程数（默认 2，一般取 CPU 核数）")
    sv.add_argument("--port", type=int, default=8501, help="对外端口（默认 8501）")
    sv.add_argument("--host", default="0.0.0.0", help="对外监听地址（默认 0.0.0.0，本机测试用 127.0.0.1）")
    sv.add_argument("--data", help="数据目录（默认 $GENGDI_DATA 或 ./data）")
    sv.set_defaults(func=cmd_serve)

    t = sub.add_parser("template", help="生成空白台账模板（.xlsx）")
    t.add_argument("--out", required=True, help="输出文件，例如 台账模板.xlsx")
    t.set_defaults(func=cmd_template)

    hp = sub.add_parser("hash-password", help="把密码变成 argon2id 哈希，填入 GENGDI_ADMIN_PASSWORD_HASH 等")
    hp.set_defaults(func=cmd_hash_password)

    from .publish_cli import add_parsers
    add_parsers(sub, sys.modules[__name__])
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return args.func(args)
    except CliError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except MissingVersion as e:
        print(f"错误：{e}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
