"""CLV benchmark: BG/NBD, Gamma-Gamma and Pareto/NBD, advocacy against lifetimes 0.11.3.

One command::

    .venv/bin/python bench/clv.py [--customers 1000000] [--markdown]

**Data.** ``--customers`` synthetic customers drawn from the BG/NBD process with the CDNOW
parameters (r = 0.243, α = 4.414, a = 0.793, b = 2.426, time in weeks) with a fixed
``numpy.random.default_rng(seed)``: each customer's purchase rate λ ~ Gamma(r, α), drop-out
probability p ~ Beta(a, b), age T uniform over 27–39 weeks (CDNOW's first-purchase window), the
number of repeat purchases they make before dropping out K ~ Geometric(p), the number of purchases
of their Poisson process in (0, T] N ~ Poisson(λT), frequency x = min(N, K) and recency the x-th of
N uniform arrival times, T · Beta(x, N − x + 1) (``advocacy.clv.simulation``). Times are on a
daily grid (whole days ÷ 7), as a transaction log gives them and as in CDNOW. Repeat buyers get a
mean spend from the Gamma-Gamma process with p = 6.25, q = 3.74, v = 15.44: ν ~ Gamma(q, v),
z̄ ~ Gamma(p·x, ν·x). The data are generated once (vectorised, a few seconds for a million) and
cached as a parquet file in ``/tmp/advocacy-bench``, so every line reads exactly the same
customers.

**The lifetimes environment.** lifetimes 0.11.3 imports ``pkg_resources`` and needs an old
numeric stack (``pandas<3``, ``setuptools<82``, numpy 1.x), which clashes with the product's, so it
never goes into ``.venv``. On first use the benchmark builds its own virtual environment at
``/tmp/advocacy-bench/lifetimes-venv``::

    uv venv --python /root/.pyenv/versions/3.11.7/bin/python3 /tmp/advocacy-bench/lifetimes-venv
    uv pip install --python /tmp/advocacy-bench/lifetimes-venv/bin/python \\
        "lifetimes==0.11.3" "pandas<3" "setuptools<82" "numpy<2" "scipy<1.14" "pyarrow<20" psutil

(pyarrow 20 and later need numpy 2) and leaves a marker file there once ``import lifetimes,
pyarrow, psutil`` works, so later runs reuse it (delete the
folder to rebuild it). Its versions are printed with the results. If it cannot be built, the
lifetimes lines are reported FAILED with the reason and the advocacy lines still run.

**Measurement.** Each measured line is its own fresh process (advocacy's under ``.venv``'s
Python, lifetimes' under the lifetimes environment's, both running this file with ``--child``).
The child imports its libraries and reads the parquet file, then runs the computation once,
cold, and again up to five times, warm, while the next run should end within 30 s: *cold s* is
``time.perf_counter`` around the first run of the computation only, *warm s* the median of the
warm runs (as a long-running server or scheduled job runs it; the speed targets are judged on
it, the cold ratio printed beside it), *peak MB* what the
computation added to the resident set (the kernel high-water mark is reset just before it, as in
``bench/metrics.py``), *process MB* the child's whole ``ru_maxrss``. A child that runs past
``--timeout`` seconds (lifetimes' Pareto/NBD is slow) is killed and reported as "did not finish".

Lines (each advocacy against lifetimes on the same data):

1. BG/NBD fit with standard errors: ``BetaGeo().fit(frequency, recency, T)`` against
   ``BetaGeoFitter(penalizer_coef=0).fit(...)`` and its ``summary``.
2. Gamma-Gamma fit with standard errors on the repeat buyers: ``GammaGamma().fit`` against
   ``GammaGammaFitter(penalizer_coef=0).fit`` and its ``summary``.
3. Pareto/NBD fit with standard errors: ``ParetoNBD().fit`` against ``ParetoNBDFitter(
   penalizer_coef=0).fit`` (lifetimes computes no Hessian for this model, so it gives no standard
   errors).
4. Predictions with the parameters of advocacy's BG/NBD fit, set directly on both sides:
   conditional expected purchases over the next 10 weeks and the probability of being alive.

lifetimes minimises the *mean* negative log-likelihood in rescaled time (T ÷ max T); its total
log-likelihood in weeks is obtained by evaluating its own ``_negative_log_likelihood`` at its fitted
parameters on the unscaled data and multiplying by the number of customers. The two fits'
log-likelihoods and parameters, and the two sides' predictions (max relative difference), are
compared.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import report
from metrics import RssSampler, read_status_kib, reset_high_water_mark, seconds
from report import cpu_model, invocation, megabytes, package_version, total_memory_bytes

CACHE = Path("/tmp/advocacy-bench")
LIFETIMES_VENV = CACHE / "lifetimes-venv"
LIFETIMES_PYTHON = LIFETIMES_VENV / "bin" / "python"
LIFETIMES_MARKER = LIFETIMES_VENV / ".advocacy-bench-ready"
BASE_PYTHON = "/root/.pyenv/versions/3.11.7/bin/python3"
LIFETIMES_REQUIREMENTS = [
    "lifetimes==0.11.3",
    "pandas<3",
    "setuptools<82",
    "numpy<2",
    "scipy<1.14",
    "pyarrow<20",  # pyarrow 20 and later need numpy 2
    "psutil",
]
LIFETIMES_PACKAGES = [
    "lifetimes",
    "numpy",
    "scipy",
    "pandas",
    "autograd",
    "setuptools",
    "pyarrow",
]

BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}  # CDNOW, weeks
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "v": 15.44}
T_DAYS = (27 * 7, 39 * 7)  # ages between 27 and 39 weeks, in whole days
HORIZON_WEEKS = 10.0

LL_TOLERANCE = 0.01
SPEED_TARGETS = {"BG/NBD fit + SE": 20.0, "Gamma-Gamma fit + SE": 20.0, "predictions": 5.0}
MEMORY_TARGET_BYTES = 250e6
REPEATS = 5  # warm runs after the cold one
REPEAT_BUDGET_S = 30.0  # no warm run starts after this many seconds of them


# ---------------------------------------------------------------------------------------------
# Data, generated once and cached
# ---------------------------------------------------------------------------------------------


def data_path(n: int, seed: int) -> Path:
    return CACHE / f"clv-customers-{n}-seed{seed}.parquet"


def generate_customers(n: int, seed: int) -> Any:
    """``n`` customers of the BG/NBD process (CDNOW parameters) with Gamma-Gamma spend."""
    import pandas as pd

    from advocacy.clv.simulation import simulate_customers

    data = simulate_customers(n, BGNBD, GAMMA_GAMMA, age_days=T_DAYS, days_per_unit=7, seed=seed)
    return pd.DataFrame(
        {
            "frequency": data.frequency.astype("int64"),
            "recency": data.recency,
            "T": data.T,
            "monetary_value": data.monetary_value,
        }
    )


def cached_customers(n: int, seed: int) -> Path:
    path = data_path(n, seed)
    if not path.exists():
        started = time.perf_counter()
        CACHE.mkdir(parents=True, exist_ok=True)
        frame = generate_customers(n, seed)
        partial = path.with_suffix(".partial")
        frame.to_parquet(partial, index=False)
        partial.replace(path)
        print(
            f"- generated {n:,} customers in {time.perf_counter() - started:.1f} s → {path}",
            file=sys.stderr,
        )
    return path


# ---------------------------------------------------------------------------------------------
# The lifetimes environment
# ---------------------------------------------------------------------------------------------


def lifetimes_versions() -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, platform, warnings; "
        "warnings.simplefilter('ignore'); import lifetimes, pyarrow, psutil; "
        f"print(json.dumps({{'python': platform.python_version(), **{{p: m.version(p) "
        f"for p in {LIFETIMES_PACKAGES!r}}}}}))"
    )
    done = subprocess.run(
        [str(LIFETIMES_PYTHON), "-c", code], capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        tail = [text for text in done.stderr.strip().splitlines() if text.strip()]
        raise RuntimeError(f"import lifetimes failed: {tail[-1] if tail else done.returncode}")
    versions: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return versions


def ensure_lifetimes_env() -> dict[str, str]:
    """Build the lifetimes environment unless it is there and works; its package versions."""
    if LIFETIMES_MARKER.exists() and LIFETIMES_PYTHON.exists():
        with contextlib.suppress(Exception):
            return lifetimes_versions()
    print(f"- building the lifetimes environment in {LIFETIMES_VENV}", file=sys.stderr)
    steps = [
        ["uv", "venv", "--clear", "--python", BASE_PYTHON, str(LIFETIMES_VENV)],
        ["uv", "pip", "install", "--python", str(LIFETIMES_PYTHON), *LIFETIMES_REQUIREMENTS],
    ]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
        except (OSError, subprocess.TimeoutExpired) as error:
            raise RuntimeError(f"{shlex.join(step)}: {error}") from error
        if done.returncode != 0:
            tail = [text for text in done.stderr.strip().splitlines() if text.strip()]
            raise RuntimeError(f"{shlex.join(step[:3])} …: {tail[-1] if tail else 'failed'}")
    versions = lifetimes_versions()
    LIFETIMES_MARKER.write_text(json.dumps(versions))
    return versions


# ---------------------------------------------------------------------------------------------
# The computations (what is timed); each returns a JSON-able result
# ---------------------------------------------------------------------------------------------


def repeat_buyers(df: Any) -> Any:
    return df[df["frequency"] > 0]


def advocacy_fit(model: Any) -> dict[str, Any]:
    return {
        "params": model.params_,
        "se": model.standard_errors_,
        "ll": model.log_likelihood_,
    }


def advocacy_bgnbd(df: Any, _: dict[str, float]) -> dict[str, Any]:
    from advocacy.clv import BetaGeo

    model = BetaGeo().fit(df["frequency"], df["recency"], df["T"])
    model.summary()
    return advocacy_fit(model)


def advocacy_gamma_gamma(df: Any, _: dict[str, float]) -> dict[str, Any]:
    from advocacy.clv import GammaGamma

    buyers = repeat_buyers(df)
    model = GammaGamma().fit(buyers["frequency"], buyers["monetary_value"])
    model.summary()
    return advocacy_fit(model)


def advocacy_paretonbd(df: Any, _: dict[str, float]) -> dict[str, Any]:
    from advocacy.clv import ParetoNBD

    model = ParetoNBD().fit(df["frequency"], df["recency"], df["T"])
    model.summary()
    return advocacy_fit(model)


def advocacy_predictions(df: Any, params: dict[str, float]) -> dict[str, Any]:
    from advocacy.clv import BetaGeo

    model = BetaGeo()
    model.params_ = dict(params)
    f, r, t = df["frequency"], df["recency"], df["T"]
    expected = model.conditional_expected_purchases(HORIZON_WEEKS, f, r, t)
    alive = model.probability_alive(f, r, t)
    return {"arrays": {"expected": expected, "alive": alive}}


def lifetimes_total_ll(fitter: Any, log_params: Any, *data: Any) -> float:
    """lifetimes' own likelihood at ``log_params`` on unscaled data, as a total (weights 1)."""
    import numpy as np

    n = len(data[0])
    mean = fitter._negative_log_likelihood(log_params, *data, np.ones(n), 0.0)
    return -float(mean) * n


def lifetimes_fit(fitter: Any) -> dict[str, Any]:
    summary = fitter.summary
    return {
        "params": {str(k): float(v) for k, v in summary["coef"].items()},
        "se": {str(k): float(v) for k, v in summary["se(coef)"].items()},
    }


def lifetimes_bgnbd(df: Any, _: dict[str, float]) -> dict[str, Any]:
    import numpy as np
    from lifetimes import BetaGeoFitter

    fitter = BetaGeoFitter(penalizer_coef=0.0).fit(df["frequency"], df["recency"], df["T"])
    result = lifetimes_fit(fitter)
    log_params = np.log(fitter.params_[["r", "alpha", "a", "b"]].to_numpy())
    data = (df["frequency"].to_numpy(), df["recency"].to_numpy(), df["T"].to_numpy())
    result["ll"] = lifetimes_total_ll(fitter, log_params, *data)
    return result


def lifetimes_gamma_gamma(df: Any, _: dict[str, float]) -> dict[str, Any]:
    import numpy as np
    from lifetimes import GammaGammaFitter

    buyers = repeat_buyers(df)
    fitter = GammaGammaFitter(penalizer_coef=0.0).fit(buyers["frequency"], buyers["monetary_value"])
    result = lifetimes_fit(fitter)
    log_params = np.log(fitter.params_[["p", "q", "v"]].to_numpy())
    data = (buyers["frequency"].to_numpy(), buyers["monetary_value"].to_numpy())
    result["ll"] = lifetimes_total_ll(fitter, log_params, *data)
    return result


def lifetimes_paretonbd(df: Any, _: dict[str, float]) -> dict[str, Any]:
    import numpy as np
    from lifetimes import ParetoNBDFitter

    fitter = ParetoNBDFitter(penalizer_coef=0.0).fit(df["frequency"], df["recency"], df["T"])
    try:
        result = lifetimes_fit(fitter)
    except Exception as error:  # lifetimes sets no Hessian for this model: no summary
        params = fitter.params_[["r", "alpha", "s", "beta"]]
        result = {"params": {str(k): float(v) for k, v in params.items()}, "se": {}}
        result["se_note"] = f"no standard errors ({type(error).__name__})"
    natural = fitter.params_[["r", "alpha", "s", "beta"]].to_numpy()
    data = (df["frequency"].to_numpy(), df["recency"].to_numpy(), df["T"].to_numpy())
    # This model's likelihood takes natural parameters and divides by the mean weight (1).
    result["ll"] = -float(fitter._negative_log_likelihood(natural, *data, np.ones(len(df)), 0.0))
    return result


def lifetimes_predictions(df: Any, params: dict[str, float]) -> dict[str, Any]:
    import pandas as pd
    from lifetimes import BetaGeoFitter

    fitter = BetaGeoFitter(penalizer_coef=0.0)
    fitter.params_ = pd.Series(params)[["r", "alpha", "a", "b"]]
    f, r, t = df["frequency"], df["recency"], df["T"]
    expected = fitter.conditional_expected_number_of_purchases_up_to_time(HORIZON_WEEKS, f, r, t)
    alive = fitter.conditional_probability_alive(f, r, t)
    return {"arrays": {"expected": expected, "alive": alive}}


@dataclass(frozen=True)
class Spec:
    """One measured line."""

    label: str
    task: str
    side: str  # "advocacy" or "lifetimes"
    compute: Callable[[Any, dict[str, float]], dict[str, Any]]


SPECS: dict[str, Spec] = {
    "advocacy-bgnbd": Spec("advocacy", "BG/NBD fit + SE", "advocacy", advocacy_bgnbd),
    "lifetimes-bgnbd": Spec("lifetimes", "BG/NBD fit + SE", "lifetimes", lifetimes_bgnbd),
    "advocacy-gg": Spec("advocacy", "Gamma-Gamma fit + SE", "advocacy", advocacy_gamma_gamma),
    "lifetimes-gg": Spec("lifetimes", "Gamma-Gamma fit + SE", "lifetimes", lifetimes_gamma_gamma),
    "advocacy-pnbd": Spec("advocacy", "Pareto/NBD fit + SE", "advocacy", advocacy_paretonbd),
    "lifetimes-pnbd": Spec("lifetimes", "Pareto/NBD fit + SE", "lifetimes", lifetimes_paretonbd),
    "advocacy-pred": Spec("advocacy", "predictions", "advocacy", advocacy_predictions),
    "lifetimes-pred": Spec("lifetimes", "predictions", "lifetimes", lifetimes_predictions),
}


# ---------------------------------------------------------------------------------------------
# The child: read, measure, report one JSON document on stdout
# ---------------------------------------------------------------------------------------------


def child(
    name: str, path: str, params_json: str | None, arrays_to: str | None, repeats: int
) -> int:
    import warnings

    warnings.simplefilter("ignore")
    spec = SPECS[name]
    import numpy as np
    import pandas as pd
    import psutil

    if spec.side == "advocacy":
        import advocacy.clv  # noqa: F401
    else:
        import lifetimes  # noqa: F401

    df = pd.read_parquet(path)
    params = json.loads(params_json) if params_json else {}
    gc.collect()
    rss_before = int(psutil.Process().memory_info().rss)
    sampler = RssSampler()
    sampler.start()
    time.sleep(0.05)
    hwm_reset = reset_high_water_mark()
    started = time.perf_counter()
    result = spec.compute(df, params)
    wall_s = time.perf_counter() - started
    hwm_kib = read_status_kib("VmHWM") if hwm_reset else None
    sampler.stop()
    peak = sampler.peak_bytes
    if hwm_kib is not None:
        peak = max(peak, hwm_kib * 1024)
    # Then again, warm, as a long-running process (the server, a scheduled job) runs it: up to
    # ``repeats`` times while the next run should end within REPEAT_BUDGET_S seconds, the
    # median reported.
    warm: list[float] = []
    deadline = time.perf_counter() + REPEAT_BUDGET_S
    while len(warm) < repeats and time.perf_counter() + (warm or [wall_s])[-1] <= deadline:
        started = time.perf_counter()
        spec.compute(df, params)
        warm.append(time.perf_counter() - started)
    arrays = result.pop("arrays", None)
    if arrays is not None and arrays_to:
        columns: dict[str, Any] = {key: np.asarray(value, float) for key, value in arrays.items()}
        np.savez(arrays_to, **columns)
    document = {
        "wall_s": wall_s,
        "warm_s": float(np.median(warm)) if warm else None,
        "warm_runs": len(warm),
        "rss_before": rss_before,
        "peak_rss": peak,
        "result": result,
    }
    print(json.dumps(document))
    return 0


# ---------------------------------------------------------------------------------------------
# The parent
# ---------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One line of the result table."""

    label: str
    task: str
    rows: int
    status: str = "ok"  # ok, failed, timeout
    note: str = ""
    wall_s: float | None = None  # the first, cold run
    warm_s: float | None = None  # the median of the warm runs
    warm_runs: int = 0
    data_bytes: int | None = None
    peak_bytes: int | None = None
    process_bytes: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    arrays: Any = None
    peer: Line | None = None
    limit_s: float | None = None  # set when the line was given up after this many seconds


def run_line(
    name: str,
    path: Path,
    rows: int,
    timeout_s: float,
    params: dict[str, float] | None = None,
    env_error: str | None = None,
    repeats: int = REPEATS,
) -> Line:
    spec = SPECS[name]
    line = Line(spec.label, spec.task, rows)
    if spec.side == "lifetimes" and env_error:
        line.status, line.note = "failed", f"no lifetimes environment: {env_error}"
        return line
    python = sys.executable if spec.side == "advocacy" else str(LIFETIMES_PYTHON)
    arrays_to = CACHE / f"{name}-arrays.npz"
    arrays_to.unlink(missing_ok=True)
    cmd = [python, str(Path(__file__).resolve()), "--child", name, "--data", str(path)]
    cmd += ["--arrays-to", str(arrays_to), "--repeats", str(repeats)]
    if params:
        cmd += ["--params", json.dumps(params)]
    print(f"- {spec.task}, {spec.label}: {shlex.join(cmd)}", file=sys.stderr)
    done = report.run_child(cmd, timeout_s=timeout_s)
    line.process_bytes = done.max_rss_bytes
    if done.timed_out:
        line.status, line.note = "timeout", f"did not finish in {timeout_s:,.0f} s"
        line.limit_s = timeout_s
        print(f"  {line.note}", file=sys.stderr)
        return line
    if done.code != 0:
        line.status = "failed"
        line.note = done.failure_note()
        print("\n".join(f"  | {text}" for text in done.stderr.splitlines()[-30:]), file=sys.stderr)
        return line
    stdout = done.stdout
    document = json.loads(stdout.strip().splitlines()[-1])
    line.wall_s = document["wall_s"]
    line.warm_s = document["warm_s"]
    line.warm_runs = document["warm_runs"]
    line.data_bytes = document["rss_before"]
    line.peak_bytes = document["peak_rss"] - document["rss_before"]
    line.result = document["result"]
    if arrays_to.exists():
        import numpy as np

        with np.load(arrays_to) as saved:
            line.arrays = {key: saved[key] for key in saved.files}
        arrays_to.unlink()
    warm = f", warm {line.warm_s:.3f} s" if line.warm_s is not None else ""
    print(f"  {line.wall_s:.3f} s{warm}, +{megabytes(line.peak_bytes)} MB", file=sys.stderr)
    return line


def fmt_params(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.4g}" for k, v in values.items())


def compare(ours: Line, peer: Line) -> None:
    """Notes on both lines: parameters, standard errors, log-likelihoods, predictions."""
    ours.peer = peer
    for line in (ours, peer):
        if line.status == "ok" and "params" in line.result:
            se = line.result.get("se") or {}
            line.note = f"LL {line.result['ll']:,.2f}; {fmt_params(line.result['params'])}"
            line.note += f"; SE {fmt_params(se)}" if se else f"; {line.result.get('se_note', '')}"
    if ours.status != "ok" or peer.status != "ok":
        return
    if "ll" in ours.result:
        difference = ours.result["ll"] - peer.result["ll"]
        ours.result["ll_difference"] = difference
        ours.note += f"; LL − lifetimes' {difference:+.4f}"
    if ours.arrays is not None and peer.arrays is not None:
        import numpy as np

        parts = []
        for key in ours.arrays:
            a, b = ours.arrays[key], peer.arrays[key]
            rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
            worst = float(np.max(np.where((a == 0) & (b == 0), 0.0, rel)))
            ours.result[f"max_rel_{key}"] = worst
            parts.append(f"{key}: max rel. diff. {worst:.2e}")
        means = ", ".join(f"mean {k} {float(v.mean()):.4f}" for k, v in ours.arrays.items())
        ours.note = f"{'; '.join(parts)} ({means})"
        peer.note = "the same parameters, set directly"


HEADERS = [
    "task",
    "line",
    "customers",
    "cold s",
    "warm s",
    "speed-up cold",
    "speed-up warm",
    "peak MB",
    "process MB",
    "result",
]


def speed_up(line: Line, *, warm: bool) -> float | None:
    """lifetimes' time ÷ advocacy's, on the cold runs or on the warm medians."""
    peer = line.peer
    if peer is None or line.status != "ok" or peer.status != "ok":
        return None
    ours, theirs = (line.warm_s, peer.warm_s) if warm else (line.wall_s, peer.wall_s)
    if not ours or not theirs:
        return None
    return theirs / ours


def table_rows(lines: Sequence[Line]) -> list[list[str]]:
    rendered = []
    for line in lines:
        ratios = []
        for warm in (False, True):
            ratio = speed_up(line, warm=warm)
            ratios.append("" if ratio is None else f"{ratio:,.1f}×")
        peer = line.peer
        if peer is not None and peer.limit_s is not None and line.wall_s:
            ratios[0] = f"> {peer.limit_s / line.wall_s:,.0f}×"
        warm_text = seconds(line.warm_s)
        if line.warm_s is not None:
            warm_text += f" ({line.warm_runs})"
        rendered.append(
            [
                line.task,
                line.label,
                f"{line.rows:,}",
                seconds(line.wall_s),
                warm_text,
                *ratios,
                megabytes(line.peak_bytes),
                megabytes(line.process_bytes),
                line.note if line.status == "ok" else f"{line.status.upper()}: {line.note}",
            ]
        )
    return rendered


def verdicts(lines: Sequence[Line]) -> list[str]:
    """One sentence per target of the issue: met or missed."""
    notes = []
    for line in lines:
        if line.peer is None:
            continue
        target = SPEED_TARGETS.get(line.task)
        ratio = speed_up(line, warm=True)
        cold = speed_up(line, warm=False)
        if target is not None:
            if ratio is None or cold is None:
                notes.append(f"{line.task}: no comparison (a line failed), target ≥ {target:g}×.")
            else:
                verdict = "met" if ratio >= target else "MISSED"
                text = (
                    f"{line.task}: {ratio:,.1f}× faster than lifetimes warm, ≥ {target:g}× "
                    f"{verdict} (cold, first run in a fresh process: {cold:,.1f}×)"
                )
                diff = line.result.get("ll_difference")
                if diff is not None:
                    text += f"; LL advocacy − lifetimes {diff:+.4f}"
                    if line.task == "BG/NBD fit + SE":
                        agree = "met" if abs(diff) <= LL_TOLERANCE else "MISSED"
                        text += f" (same to {LL_TOLERANCE}: {agree})"
                notes.append(text + ".")
        if line.status == "ok" and line.peak_bytes is not None:
            verdict = "met" if line.peak_bytes <= MEMORY_TARGET_BYTES else "MISSED"
            notes.append(
                f"{line.task}, advocacy peak memory: +{megabytes(line.peak_bytes)} MB over the "
                f"data (process {megabytes(line.process_bytes)} MB), ≤ 250 MB {verdict}."
            )
    return notes


def environment_facts(lifetimes: dict[str, str] | None, env_error: str | None) -> dict[str, str]:
    memory = total_memory_bytes()
    if lifetimes:
        peer = f"Python {lifetimes['python']}, " + ", ".join(
            f"{name} {lifetimes[name]}" for name in LIFETIMES_PACKAGES
        )
    else:
        peer = f"unavailable ({env_error})"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "cpu": cpu_model(),
        "cores": str(os.cpu_count()),
        "memory": f"{memory / 2**30:.1f} GiB" if memory else "unknown",
        "os": platform.platform(),
        "ours": (
            f"Python {platform.python_version()}, advocacy {package_version('advocacy')}, numpy "
            f"{package_version('numpy')}, scipy {package_version('scipy')}, pandas "
            f"{package_version('pandas')}"
        ),
        "peer": peer,
    }


def data_note(args: Any, frame: Any) -> str:
    buyers = int((frame["frequency"] > 0).sum())
    return (
        f"Data: {args.customers:,} customers from the BG/NBD process with the CDNOW parameters "
        f"(r {BGNBD['r']}, α {BGNBD['alpha']}, a {BGNBD['a']}, b {BGNBD['b']}; weeks), T "
        f"uniform over {T_DAYS[0]}–{T_DAYS[1]} days, times on a daily grid; {buyers:,} repeat "
        f"buyers ({buyers / len(frame):.1%}, mean frequency "
        f"{frame['frequency'].mean():.3f}) with a Gamma-Gamma mean spend (p "
        f"{GAMMA_GAMMA['p']}, q {GAMMA_GAMMA['q']}, v {GAMMA_GAMMA['v']}); "
        f"`numpy.random.default_rng({args.seed})`, cached as parquet in {CACHE}."
    )


METHOD = (
    "Each line is its own fresh process that reads the cached parquet file and runs the "
    "computation once, cold, then up to 5 more times, warm, within 30 s; lifetimes runs in its "
    "own virtual environment (it needs pandas<3, setuptools<82 and numpy 1.x). *cold s* is "
    "`time.perf_counter` around the first run of the computation only, *warm s* the median of "
    "the warm runs (how many in brackets), as a long-running server or job runs it; the speed "
    "targets are judged on the warm medians, the cold ratios shown beside them; "
    "*peak MB* what the computation added to the resident set (the kernel high-water mark reset "
    "just before it, checked against a 10 ms psutil sampler); *process MB* the child's whole "
    "`ru_maxrss`. *speed-up* is lifetimes' time ÷ advocacy's. lifetimes fits with "
    "`penalizer_coef=0`; its total log-likelihood in weeks is its own `_negative_log_likelihood` "
    "at its fitted parameters on the unscaled data × the number of customers. The predictions "
    "line gives both sides the parameters of advocacy's BG/NBD fit, set directly, and times "
    "conditional expected purchases over 10 weeks plus the probability alive."
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time BG/NBD, Gamma-Gamma and Pareto/NBD: advocacy against lifetimes."
    )
    parser.add_argument("--customers", type=int, default=1_000_000, help="customers")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds before a line is given up (600)"
    )
    parser.add_argument(
        "--markdown", action="store_true", help="also print a section for docs/benchmarks.md"
    )
    parser.add_argument("--child", choices=sorted(SPECS), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    parser.add_argument("--arrays-to", help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=REPEATS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.data, args.params, args.arrays_to, args.repeats)
    if args.customers < 100:
        parser.error("--customers must be at least 100")

    import pandas as pd

    path = cached_customers(args.customers, args.seed)
    frame = pd.read_parquet(path)
    versions: dict[str, str] | None = None
    env_error: str | None = None
    try:
        versions = ensure_lifetimes_env()
    except Exception as error:
        env_error = str(error)
        print(f"- lifetimes environment unavailable: {env_error}", file=sys.stderr)

    def pair(name: str, params: dict[str, float] | None = None) -> list[Line]:
        ours = run_line(f"advocacy-{name}", path, args.customers, args.timeout, params)
        peer = run_line(f"lifetimes-{name}", path, args.customers, args.timeout, params, env_error)
        compare(ours, peer)
        return [ours, peer]

    lines = pair("bgnbd")
    fitted = lines[0].result.get("params") if lines[0].status == "ok" else None
    lines += pair("gg")
    for line in lines[-2:]:
        line.rows = int((frame["frequency"] > 0).sum())
    lines += pair("pnbd")
    lines += pair("pred", fitted or BGNBD)
    notes = verdicts(lines)
    if not fitted:
        notes.append("predictions used the generating parameters: advocacy's BG/NBD fit failed.")
    facts = environment_facts(versions, env_error)

    print()
    print(
        f"CLV benchmark — {facts['date']}, {facts['cpu']}, {facts['cores']} cores, "
        f"{facts['memory']}"
    )
    print(f"advocacy side: {facts['ours']}")
    print(f"lifetimes side: {facts['peer']}")
    print(f"Command: {invocation()}")
    print()
    print(report.text_table(HEADERS, table_rows(lines)))
    print()
    for note in notes:
        print(note)
    if args.markdown:
        print()
        print(
            "\n".join(
                [
                    f"## CLV benchmark: {args.customers:,} customers, advocacy against lifetimes "
                    f"({facts['date']})",
                    "",
                    f"- **Machine:** {facts['cpu']}, {facts['cores']} cores, {facts['memory']} "
                    f"RAM, {facts['os']}",
                    f"- **advocacy side:** {facts['ours']}",
                    f"- **lifetimes side:** {facts['peer']} (own virtual environment)",
                    f"- **Command:** `{invocation()}`",
                    "",
                    report.markdown_table(HEADERS, table_rows(lines)),
                    "",
                    "Notes:",
                    "",
                    *[f"- {note}" for note in notes],
                    f"- {data_note(args, frame)}",
                    f"- {METHOD}",
                ]
            )
        )
    return 0 if all(line.status == "ok" for line in lines if line.label == "advocacy") else 1


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main())
