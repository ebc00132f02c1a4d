"""What every maximum-likelihood CLV model shares: the optimiser, standard errors, summary, JSON.

A model subclasses :class:`MaximumLikelihoodModel`, names its parameters and implements its
negative log-likelihood on the natural parameter scale. The optimiser works on the logarithms of
the parameters (all of them are positive), so it never steps outside the parameter space; the
standard errors come from the inverse of the Hessian of the negative log-likelihood at the
optimum, on the natural scale, as in the papers' tables. A likelihood that gives its exact gradient
and Hessian (:class:`DifferentiableLikelihood`) is maximised by Newton's method in a trust region;
any other by L-BFGS-B on finite differences with a Nelder–Mead polish and a numerical Hessian.

References
----------
.. [1] Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way:
   An alternative to the Pareto/NBD model. Marketing Science 24(2), 275–284.
.. [2] Nocedal, J. & Wright, S. J. (2006). Numerical Optimization, 2nd ed., §4.3 (trust-region
   Newton steps) and §8.1 (finite differences for second derivatives). Springer.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, NamedTuple, Protocol, Self, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.optimize import minimize

from advocacy.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]
Z_95 = 1.959963984540054  # the 97.5 % quantile of the standard normal
ROUGH_SAMPLE = 20_000  # customers in the sample that gives a big fit its starting point


def as_float_array(values: npt.ArrayLike, name: str) -> FloatArray:
    """``values`` as a 1-D float array, refusing NaN, infinities and negative numbers."""
    try:
        # Converted after leaving pandas: a Series asked for another dtype converts slowly.
        array = np.asarray(values).astype(np.float64, copy=False).reshape(-1)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{name} must be numbers") from error
    # Two reductions and no temporaries for valid data: the minimum is NaN if any value is,
    # and an infinity is the maximum or makes the minimum negative.
    if array.size and not (array.min() >= 0 and array.max() < np.inf):
        if not np.all(np.isfinite(array)):
            raise InvalidInput(f"{name} must not contain NaN or infinite values")
        raise InvalidInput(f"{name} cannot be negative")
    return array


def whole_frequencies(frequency: npt.ArrayLike) -> FloatArray:
    """Repeat-purchase counts as floats, refusing values that are not whole numbers."""
    dtype = getattr(frequency, "dtype", None)
    integral = isinstance(dtype, np.dtype) and np.issubdtype(dtype, np.integer)
    array = as_float_array(frequency, "frequency")
    if not integral and np.any(np.modf(array)[0]):
        raise InvalidInput("frequency must be whole numbers of repeat purchases")
    return array


def same_length(**arrays: FloatArray) -> int:
    """The common length of ``arrays``, refusing unequal lengths."""
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise InvalidInput(f"inputs must have the same length, got {lengths}")
    return next(iter(lengths.values()))


def numerical_hessian(function: Callable[[FloatArray], float], point: FloatArray) -> FloatArray:
    """The Hessian of ``function`` at ``point`` by central differences with relative steps."""
    size = point.size
    # Steps relative to each parameter: the parameters are positive, and a step must never
    # cross zero however small the parameter is.
    steps = 1e-4 * np.where(point != 0, np.abs(point), 1e-2)
    hessian = np.empty((size, size))
    centre = function(point)
    for i in range(size):
        e_i = np.zeros(size)
        e_i[i] = steps[i]
        hessian[i, i] = (function(point + e_i) - 2 * centre + function(point - e_i)) / steps[i] ** 2
        for j in range(i):
            e_j = np.zeros(size)
            e_j[j] = steps[j]
            value = (
                function(point + e_i + e_j)
                - function(point + e_i - e_j)
                - function(point - e_i + e_j)
                + function(point - e_i - e_j)
            ) / (4 * steps[i] * steps[j])
            hessian[i, j] = hessian[j, i] = value
    return hessian


class Derivatives(NamedTuple):
    """A function's value with its gradient and Hessian at one point."""

    value: float
    gradient: FloatArray
    hessian: FloatArray


class NegativeLogLikelihood(Protocol):
    """A model's negative log-likelihood of fixed data, on the natural parameter scale."""

    def __call__(self, params: FloatArray, /) -> float: ...


@runtime_checkable
class DifferentiableLikelihood(NegativeLogLikelihood, Protocol):
    """A negative log-likelihood that also gives its exact gradient and Hessian."""

    def derivatives(self, params: FloatArray, /) -> Derivatives: ...


class LogScaleObjective:
    """A :class:`DifferentiableLikelihood` as a function of the logarithms of its parameters,
    with the last point's derivatives kept, the way a trust-region method asks for them.

    With θ = e^φ, ∂f/∂φ = θ ⊙ ∂f/∂θ and ∂²f/∂φ² = diag(θ) (∂²f/∂θ²) diag(θ) + diag(θ ⊙ ∂f/∂θ).
    """

    def __init__(self, likelihood: DifferentiableLikelihood) -> None:
        self.likelihood = likelihood
        self._at: bytes = b""
        self._derivatives = Derivatives(math.inf, np.zeros(0), np.zeros((0, 0)))
        self.natural = self._derivatives

    def _evaluate(self, log_params: FloatArray) -> Derivatives:
        key = log_params.tobytes()
        if key != self._at:
            params = np.exp(log_params)
            natural = self.likelihood.derivatives(params)
            self.natural = natural
            gradient = natural.gradient * params
            hessian = params[:, None] * natural.hessian * params[None, :] + np.diag(gradient)
            self._derivatives = Derivatives(natural.value, gradient, hessian)
            self._at = key
        return self._derivatives

    def value(self, log_params: FloatArray) -> float:
        # The derivatives come with the value: most trial points of Newton's method are taken,
        # and the method asks for their gradient and Hessian next.
        with np.errstate(all="ignore"):
            value = self._evaluate(log_params).value
        return value if math.isfinite(value) else math.inf

    def gradient(self, log_params: FloatArray) -> FloatArray:
        return self._evaluate(log_params).gradient

    def hessian(self, log_params: FloatArray) -> FloatArray:
        return self._evaluate(log_params).hessian


class MaximumLikelihoodModel:
    """Base of the fitted CLV models: parameters, log-likelihood, standard errors, JSON.

    Subclasses set :attr:`parameter_names` and :attr:`model_name`; their ``fit`` passes
    :meth:`_maximise_likelihood` the negative log-likelihood of their data as a function of the
    natural-scale parameters in :attr:`parameter_names` order.
    """

    parameter_names: ClassVar[tuple[str, ...]] = ()
    model_name: ClassVar[str] = ""

    params_: dict[str, float]
    log_likelihood_: float
    standard_errors_: dict[str, float]
    n_: int

    def _starting_point(
        self, defaults: dict[str, float], initial: dict[str, float] | None
    ) -> FloatArray:
        """The parameters to start the fit from: ``defaults``, overridden by ``initial``."""
        start = dict(defaults)
        if initial is not None:
            unknown = set(initial) - set(self.parameter_names)
            if unknown or any(not value > 0 for value in initial.values()):
                names = ", ".join(self.parameter_names[:-1]) + " and " + self.parameter_names[-1]
                raise InvalidInput(f"initial values must be positive {names}")
            start |= initial
        return np.array([start[name] for name in self.parameter_names])

    def _maximise_likelihood(
        self, negative_log_likelihood: NegativeLogLikelihood, start: FloatArray, n: int
    ) -> None:
        """Fit the parameters from ``start`` and set every fitted attribute.

        A likelihood with exact derivatives is maximised by Newton's method in a trust region
        (scipy's ``trust-exact``), which converges quadratically in a dozen or so steps, and its
        standard errors come from its exact Hessian; any other by L-BFGS-B on finite differences
        polished by Nelder–Mead, with a numerical Hessian.
        """
        if isinstance(negative_log_likelihood, DifferentiableLikelihood):
            optimum = self._newton(negative_log_likelihood, start)
            if optimum is not None:
                params, at_optimum = optimum
                self._set_fit(params, at_optimum.value, at_optimum.hessian, n)
                return
        params = self._derivative_free(negative_log_likelihood, start)
        hessian = numerical_hessian(negative_log_likelihood, params)
        self._set_fit(params, negative_log_likelihood(params), hessian, n)

    def _newton(
        self, likelihood: DifferentiableLikelihood, start: FloatArray
    ) -> tuple[FloatArray, Derivatives] | None:
        """The optimum by Newton's method in log space with the likelihood's derivatives there
        (natural scale), or None if it did not converge."""
        objective = LogScaleObjective(likelihood)
        first = objective.value(np.log(start))
        if not math.isfinite(first):
            return None
        # The gradient of a sum over a million customers is exact to rounding only: the
        # tolerance grows with the size of the log-likelihood.
        tolerance = 1e-9 * max(1.0, abs(first))
        result = minimize(
            objective.value,
            np.log(start),
            method="trust-exact",
            jac=objective.gradient,
            hess=objective.hessian,
            options={"gtol": tolerance, "maxiter": 500},
        )
        gradient = objective.gradient(result.x)  # also leaves the natural derivatives there
        converged = math.isfinite(result.fun) and float(np.abs(gradient).max()) <= 1e3 * tolerance
        return (np.exp(result.x), objective.natural) if converged else None

    def _rough_start(
        self,
        likelihood_of: Callable[[npt.NDArray[np.intp]], NegativeLogLikelihood],
        n: int,
        start: FloatArray,
    ) -> FloatArray:
        """A starting point near the optimum for a fit on many customers: the optimum on an
        evenly spaced sample of about :data:`ROUGH_SAMPLE` of them (``likelihood_of`` gives
        the likelihood of the rows it is passed), or ``start`` for few customers or if the
        sample's fit fails. Newton's method converges in a few steps from there, and each
        step over all the customers costs as much as a whole fit on the sample."""
        if n < 4 * ROUGH_SAMPLE:
            return start
        likelihood = likelihood_of(np.arange(0, n, n // ROUGH_SAMPLE))
        with np.errstate(all="ignore"):
            if isinstance(likelihood, DifferentiableLikelihood):
                optimum = self._newton(likelihood, start)
                return start if optimum is None else optimum[0]
            try:
                return self._derivative_free(likelihood, start)
            except InvalidInput:
                return start

    def _derivative_free(
        self, negative_log_likelihood: NegativeLogLikelihood, start: FloatArray
    ) -> FloatArray:
        """The optimum by L-BFGS-B on finite differences, polished by Nelder–Mead."""

        def objective(log_params: FloatArray) -> float:
            value = negative_log_likelihood(np.exp(log_params))
            return value if math.isfinite(value) else 1e300

        result = minimize(
            objective,
            np.log(start),
            method="L-BFGS-B",
            bounds=[(-20.0, 20.0)] * start.size,
            options={"ftol": 1e-14, "gtol": 1e-9, "maxiter": 2000},
        )
        # L-BFGS-B can stop on its finite-difference gradient; a polish by Nelder–Mead from
        # there costs little and settles the optimum to the printed digits of the papers. Its
        # tolerance on the likelihood is relative: an absolute one is out of reach (rounding) on
        # a million customers' log-likelihood and would run the polish to its last iteration.
        polished = minimize(
            objective,
            result.x,
            method="Nelder-Mead",
            options={
                "xatol": 1e-8,
                "fatol": 1e-11 * max(1.0, abs(float(result.fun))),
                "maxiter": 2000,
            },
        )
        best = polished.x if polished.fun <= result.fun else result.x
        params: FloatArray = np.exp(best)
        if not math.isfinite(negative_log_likelihood(params)):
            raise InvalidInput(f"the {self.model_name} likelihood could not be maximised")
        return params

    def _set_fit(self, params: FloatArray, minimum: float, hessian: FloatArray, n: int) -> None:
        """Record a fit: parameters, log-likelihood, standard errors from the Hessian of the
        negative log-likelihood on the natural scale, and the number of customers."""
        self.params_ = dict(zip(self.parameter_names, params.tolist(), strict=True))
        self.log_likelihood_ = -minimum
        self.n_ = n
        try:
            variances = np.diag(np.linalg.inv(hessian))
        except np.linalg.LinAlgError:
            variances = np.full(params.size, np.nan)
        errors = np.sqrt(np.where(variances > 0, variances, np.nan))
        self.standard_errors_ = dict(zip(self.parameter_names, errors.tolist(), strict=True))

    def _fitted_params(self) -> FloatArray:
        if not hasattr(self, "params_"):
            raise InvalidInput(f"the {self.model_name} model is not fitted: call fit() first")
        return np.array([self.params_[name] for name in self.parameter_names])

    def summary(self) -> pd.DataFrame:
        """The fitted parameters with standard errors and 95 % Wald intervals.

        Returns
        -------
        pandas.DataFrame
            Indexed by parameter name, with columns ``coef``, ``se``, ``lower 95%``,
            ``upper 95%``.
        """
        coef = self._fitted_params()
        se = np.array([self.standard_errors_[name] for name in self.parameter_names])
        return pd.DataFrame(
            {
                "coef": coef,
                "se": se,
                "lower 95%": coef - Z_95 * se,
                "upper 95%": coef + Z_95 * se,
            },
            index=pd.Index(self.parameter_names, name="parameter"),
        )

    def to_json(self) -> str:
        """The fitted model as JSON: model, parameters, standard errors, log-likelihood, n."""
        self._fitted_params()
        return json.dumps(
            {
                "model": self.model_name,
                "params": self.params_,
                # JSON has no NaN: a standard error the Hessian could not give is null.
                "standard_errors": {
                    name: value if math.isfinite(value) else None
                    for name, value in self.standard_errors_.items()
                },
                "log_likelihood": self.log_likelihood_,
                "n": self.n_,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Self:
        """A fitted model from the JSON written by :meth:`to_json`."""
        try:
            data: Mapping[str, Any] = json.loads(text)
            if data["model"] != cls.model_name:
                raise InvalidInput(f"this JSON holds a {data['model']} model, not {cls.model_name}")
            model = cls()
            model.params_ = {name: float(data["params"][name]) for name in cls.parameter_names}
            errors = data.get("standard_errors") or {}
            model.standard_errors_ = {
                name: math.nan if errors.get(name) is None else float(errors[name])
                for name in cls.parameter_names
            }
            model.log_likelihood_ = float(data["log_likelihood"])
            model.n_ = int(data["n"])
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidInput(f"not a saved {cls.model_name} model: {error}") from error
        if any(not value > 0 for value in model.params_.values()):
            raise InvalidInput(f"{cls.model_name} parameters must be positive")
        return model

    def __repr__(self) -> str:
        if not hasattr(self, "params_"):
            return f"{type(self).__name__}()"
        shown = ", ".join(f"{name}={value:.4g}" for name, value in self.params_.items())
        return f"{type(self).__name__}({shown})"
