"""``advocacy analyze``: text analysis of the feedback, on demand."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Any

import click

from advocacy.cli.options import catalogue_from, db_option, echo_json, json_option, table

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from advocacy.services.analysis import AnalysisSummary


def run_analysis(
    engine: Engine,
    *,
    mode: str | None = None,
    since: dt.datetime | None = None,
    reanalyze: bool = False,
    show_progress: bool = False,
    model_dir: str | None = None,
    model_labels: str | None = None,
    workers: int | None = None,
) -> AnalysisSummary:
    """Analyse the pending items with the installation's settings (``ADVOCACY_TEXT_MODE``,
    ``ADVOCACY_LANGUAGES``, ``ADVOCACY_THEMES_FILE``, ``ADVOCACY_SENTIMENT_MODEL_DIR`` and
    ``ADVOCACY_SENTIMENT_MODEL_LABELS``), ``mode``, ``model_dir`` and ``model_labels`` overriding
    theirs. A model directory implies the accurate mode. ``workers`` processes analyse (by
    default every core in fast mode, one in accurate mode; a model directory's transformer runs
    in this process only)."""
    from advocacy.config import load_settings
    from advocacy.errors import InvalidInput
    from advocacy.services.analysis import analyse_feedback, analyzer_for
    from advocacy.text.pipeline import default_workers

    settings = load_settings()
    # The installation's model directory serves the accurate mode; an explicit fast run skips it.
    directory = model_dir or (settings.sentiment_model_dir if mode != "fast" else None)
    chosen: Any = mode or ("accurate" if directory else settings.text_mode)
    if workers is not None and workers < 1:
        raise InvalidInput(f"--workers: at least 1, not {workers}")
    if directory:
        if workers is not None and workers > 1:
            raise InvalidInput("a model directory's transformer runs in one process: --workers 1")
        workers = 1
    analyzer = analyzer_for(
        chosen,
        languages=settings.language_codes,
        themes_file=settings.themes_file,
        engine=engine,
        model_dir=directory,
        model_labels=model_labels or settings.sentiment_model_labels,
    )

    def progress(done: int, total: int) -> None:
        click.echo(f"\r  analysed {done:>10,} of {total:,} items", nl=False, err=True)

    summary = analyse_feedback(
        engine,
        analyzer,
        since=since,
        reanalyze=reanalyze,
        progress=progress if show_progress else None,
        workers=workers if workers is not None else default_workers(chosen),
    )
    if summary.analysed + summary.without_text:
        from advocacy.services.facts import ensure_facts

        ensure_facts(engine)  # the dashboard's counts, ready before anyone looks
    if show_progress and summary.analysed + summary.without_text:
        click.echo("\r" + " " * 50 + "\r", nl=False, err=True)
    return summary


def describe_analysis(summary: AnalysisSummary) -> str:
    """One or two sentences saying what a run of text analysis did."""
    if not summary.analysed and not summary.without_text:
        return "Nothing to analyse: every feedback item is analysed already."
    rate = summary.items_per_second
    parts = [
        f"Analysed {summary.analysed:,} feedback items ({summary.mode} mode"
        + (f", {rate:,.0f} items/s" if rate else "")
        + f"); {summary.without_text:,} without text."
    ]
    if summary.analysed:
        sentiments = ", ".join(f"{count:,} {name}" for name, count in summary.sentiments.items())
        languages = ", ".join(f"{name} {count:,}" for name, count in summary.languages.items())
        parts.append(f"Sentiment: {sentiments}. Languages: {languages}.")
        parts.append(f"{summary.urgent:,} urgent.")
    return " ".join(parts)


@click.command("analyze")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only items dated from this day on (YYYY-MM-DD).",
)
@click.option(
    "--reanalyze",
    is_flag=True,
    help="Analyse again items analysed before (after a new taxonomy or model).",
)
@click.option(
    "--mode",
    type=click.Choice(["accurate", "fast"]),
    help="accurate: a multilingual transformer (about 50–80 items/s on 2 cores); fast: word "
    "vectors (thousands a second). Default ADVOCACY_TEXT_MODE, else fast.",
)
@click.option(
    "--model-dir",
    type=click.Path(exists=True, file_okay=False, dir_okay=True),
    help="A folder with a fine-tuned Hugging Face sequence classifier (save_pretrained) to score "
    "items' sentiment in accurate mode; needs pip install 'advocacy[transformers]'. Default "
    "ADVOCACY_SENTIMENT_MODEL_DIR.",
)
@click.option(
    "--model-labels",
    metavar="MAP",
    help="The model's label names where they don't say their sentiment, e.g. "
    "LABEL_0=negative,LABEL_1=positive. Default ADVOCACY_SENTIMENT_MODEL_LABELS.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes that analyse (default: every core in fast mode, 1 in accurate mode).",
)
@db_option
@json_option
@click.pass_context
def analyze(
    ctx: click.Context,
    since: dt.datetime | None,
    reanalyze: bool,
    mode: str | None,
    model_dir: str | None,
    model_labels: str | None,
    workers: int | None,
    as_json: bool,
) -> None:
    """Find language, sentiment, themes and urgency, and redact personal data, in feedback.

    Analyses the items not analysed yet (every item as it is imported is, unless the import
    said --no-analyze); --reanalyze does all of them again.
    """
    summary = run_analysis(
        catalogue_from(ctx).engine,
        mode=mode,
        since=since,
        reanalyze=reanalyze,
        show_progress=sys.stderr.isatty() and not as_json,
        model_dir=model_dir,
        model_labels=model_labels,
        workers=workers,
    )
    if as_json:
        echo_json(summary.as_dict())
    else:
        click.echo(describe_analysis(summary))


def _interval(value: Any, low: Any, high: Any) -> str:
    if value is None:
        return ""
    return f"{value:+.1f} [{low:+.1f}, {high:+.1f}]" if low is not None else f"{value:+.1f}"


def render_drivers(report: dict[str, Any]) -> str:
    """The key-drivers report as text for the terminal."""
    nps = report["nps"]
    score = "n/a" if nps["score"] is None else f"{nps['score']:+.1f}"
    lines = [
        f"Key drivers of NPS: {report['answers']:,} analysed answers, NPS {score}"
        + (f"; {report['unanalysed']:,} answers not analysed yet" if report["unanalysed"] else ""),
        "Impact: NPS points gained if the theme's detractors were passives"
        + (" (only those negative about it)" if report["negative_only"] else "")
        + f"; {round(100 * report['confidence'])} % intervals.",
        "",
    ]
    rows = [
        {
            "theme": driver["label"],
            "mentions": driver["mentions"],
            "nps with": driver["nps_with"],
            "nps without": driver["nps_without"],
            "gap": _interval(driver["gap"], driver["gap_ci_low"], driver["gap_ci_high"]),
            "impact": _interval(
                driver["impact"], driver["impact_ci_low"], driver["impact_ci_high"]
            ),
            "significant": "yes" if driver["significant"] else "",
        }
        for driver in report["drivers"]
    ]
    if not rows:
        return "\n".join([*lines, "No theme is mentioned in the analysed answers."])
    columns = ["theme", "mentions", "nps with", "nps without", "gap", "impact", "significant"]
    return "\n".join([*lines, table(rows, columns)])


@click.command("drivers")
@click.option(
    "--from",
    "since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Answers from this day on (YYYY-MM-DD).",
)
@click.option(
    "--to",
    "until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Answers up to and including this day (YYYY-MM-DD).",
)
@click.option(
    "--negative-only",
    is_flag=True,
    help="Count in a theme's impact only the detractors who were negative about it.",
)
@click.option(
    "--min-mentions",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Leave out themes mentioned by fewer answers.",
)
@db_option
@json_option
@click.pass_context
def drivers(
    ctx: click.Context,
    since: dt.datetime | None,
    until: dt.datetime | None,
    negative_only: bool,
    min_mentions: int,
    as_json: bool,
) -> None:
    """Which themes of the comments separate detractors from promoters and move NPS."""
    from advocacy.config import load_settings
    from advocacy.services.drivers import drivers_report
    from advocacy.text.themes import Taxonomy

    report = drivers_report(
        catalogue_from(ctx).engine,
        since=since,
        until=None if until is None else until + dt.timedelta(days=1),
        negative_only=negative_only,
        min_mentions=min_mentions,
        taxonomy=Taxonomy.load(load_settings().themes_file),
    )
    if as_json:
        echo_json(report)
    else:
        click.echo(render_drivers(report))


@click.group("text")
def text() -> None:
    """The text models: train the company's own sentiment model on its customers' ratings."""


@text.command("train")
@click.option(
    "--min-per-class",
    type=click.IntRange(min=5),
    default=50,
    show_default=True,
    help="Fewest negative and positive rated comments a language needs to be trained.",
)
@db_option
@json_option
@click.pass_context
def train(ctx: click.Context, min_per_class: int, as_json: bool) -> None:
    """Learn the company's own sentiment model from rated comments (NPS scores, stars).

    Per language, a fifth of the rated comments is held out; the new model is kept only if,
    blended with the shipped one, it beats the shipped model on them. Then run
    `advocacy analyze --reanalyze` to use it.
    """
    from advocacy.config import load_settings
    from advocacy.services.text_training import train_company_models

    report = train_company_models(
        catalogue_from(ctx).engine,
        languages=load_settings().language_codes,
        min_per_class=min_per_class,
    )
    if as_json:
        echo_json(report)
        return
    rows = [
        {
            "language": entry["language"],
            "negative": entry["examples"]["negative"],
            "neutral": entry["examples"]["neutral"],
            "positive": entry["examples"]["positive"],
            "shipped": entry["shipped_accuracy"],
            "company": entry["company_accuracy"],
            "kept": "yes" if entry["kept"] else "no",
            "why": entry["reason"],
        }
        for entry in report["languages"]
    ]
    columns = ["language", "negative", "neutral", "positive", "shipped", "company", "kept", "why"]
    click.echo(
        "Company sentiment models (held-out balanced accuracy, positive vs negative):\n"
        + table(rows, columns, widths={"why": 60})
    )
