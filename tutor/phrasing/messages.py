"""The English message catalog: every sentence a solution says, keyed by what it means.

Slots are ``{name}`` (filled by :func:`tutor.phrasing.say`), ``{{`` is a brace. A key with
``.one`` and ``.other`` forms is chosen by a count (CLDR's plural categories). Keys start
with the task or the part of the solution that says them.
"""

#: The English catalog: key → template. Slots are ``{name}``; ``{{`` is a brace.
MESSAGES: dict[str, str] = {
    # -- a task that could not finish -------------------------------------------------
    "steps.stopped.title": "Stopped",
    "steps.stopped": (
        "This task ran longer than {seconds} s and was stopped; what it had finished is "
        "below, and the other tasks are complete."
    ),
    "steps.stopped.reason": "stopped after {seconds} s (the per-task limit, --task-timeout)",
    "steps.stopped.derived": "Derived before the stop (not yet tidied)",
    "steps.refused.title": "Not done",
    "steps.refused": "This task could not be done: {error}. The other tasks are done.",
    "and": " and ",
    # -- derivations -----------------------------------------------------------------------
    "derivation.unsupported": (
        "Part of this derivative has no step-by-step rule; SymPy's diff gave it."
    ),
    "derivation.chain": "Chain rule ({outer}) with {u}, where {du} = {value} ({rules}).",
    "derivation.check": "every line of the {n} rule applications against sympy.diff",
    "derivation.check.more.one": "{n} more line",
    "derivation.check.more.other": "{n} more lines",
    "derivation.check.undecided": (
        "no sampled point has both sides finite and simplify does not reach zero (the "
        "derivative may be undefined almost everywhere, as 0/0)"
    ),
    "caveat": "Note: {caveat}.",
    "caveat.kink": "not differentiable where {u} = 0",
    "at.kink": (
        "{point} lies on a kink of {f} ({u} = 0 there), where {f} may not be differentiable: "
        "the value above takes sign(0) = 0, as torch does, so the autograd check agrees with "
        "it either way and cannot tell."
    ),
    "caveat.jump": "not continuous where {u} = 0",
    "caveat.positive": "valid where {u} > 0",
    "caveat.equal_arguments": "not differentiable where two of the arguments are equal (a kink)",
    # -- partials -------------------------------------------------------------------
    "partials.title": "Partial derivatives",
    "partials.differentiate": "Differentiate {f} with respect to {x}.",
    "partials.differentiate.holding": (
        "Differentiate {f} with respect to {x}, holding {others} constant."
    ),
    "partials.check": "every ∂{f}/∂· against autograd at {n} random points",
    # -- gradient -------------------------------------------------------------------
    "gradient.title": "Gradient",
    "gradient.vector.title": "The gradient",
    "gradient.check": "∇{f} against autograd at {n} points",
    "gradient.check.random": "∇{f} against autograd at {n} random points",
    "gradient.meaning": (
        "The gradient points in the direction of steepest ascent; its length is the rate of "
        "increase in that direction."
    ),
    # -- directional derivative ---------------------------------------------------------
    "model.title": "Through the model",
    "model.chain": (
        "With ŷ = {rhs}, each row's loss {row} has slope {slope} in ŷ, where {sigma}. "
        "By the chain rule:"
    ),
    "model.second": (
        "With ŷ = {rhs}, differentiate again: {prime}, so the slope {slope} changes at the "
        "rate {rate}:"
    ),
    "model.rows.one": "Over the {m} data row:",
    "model.rows.other": "Over the {m} data rows:",
    "model.check": "the σ forms equal the derivatives of {f} by the rules",
    "derive.title": "The derivative of {f} by {wrt}",
    "derive.title.partial": "The partial derivatives of {f} by {wrt}",
    "directional.title": "Directional derivative",
    "directional.unit.title": "The unit vector",
    "directional.cosines": (
        "The components of {u} are the direction cosines ({cosines}): the cosines of the "
        "angles between {l} and each axis."
    ),
    "directional.rate": "rate",
    "directional.limit.title": "The limit definition",
    "directional.move": "Move from {point} a distance {t} along {u}:",
    "directional.quotient": "The difference quotient, simplified:",
    "directional.to_zero": "Let {t} shrink to 0 from above:",
    "directional.formula.title": "The formula {grad}·u",
    "directional.same": "The limit definition gives the same number.",
    "directional.same.unchecked": (
        "SymPy could not take the limit in time; the checks compare it numerically."
    ),
    "directional.differs": (
        "The limit differs from {dot}: {f} is not differentiable at {point}, so {rule} is "
        "not the rate. The rate along {u} is the one-sided limit, {limit}."
    ),
    "directional.steepest.title": "The steepest direction",
    "directional.stationary": "{grad} = 0 here: every direction has rate 0 (a stationary point).",
    "directional.steepest": "{rule} is largest when {u} points along {grad}:",
    "directional.not_differentiable.title": "Not differentiable here",
    "directional.one_sided": (
        "The formula {grad}·u needs the gradient, so only the one-sided limit above gives the "
        "rate along u: {limit}."
    ),
    "directional.undefined.title": "Not defined here",
    "directional.undefined": (
        "{value} = {f0} is not a finite real number, so {f} has no rate of change at this "
        "point in any direction."
    ),
    "directional.check.rate": "the rate of change along u",
    "directional.check.undefined": "{f} is not defined at {point}",
    "directional.check.agree": "the limit definition equals ∇f·u",
    "directional.check.jvp": "∇f·u against a torch Jacobian-vector product",
    "directional.check.one_sided": "the one-sided limit against a forward difference",
    "directional.check.one_sided.h": ("the one-sided limit against a forward difference (h = {h})"),
    "directional.check.infinite": "the limit is not a finite real number ({limit})",
    # -- taylor ---------------------------------------------------------------------------
    "taylor.title": "Taylor expansion",
    "taylor.needs": "A Taylor expansion needs those derivatives at the point.",
    "taylor.expansion.title": "The expansion of order {order} around {point}",
    "taylor.delta": "With δ = x − x₀:",
    "note.expand": "expand",
    "taylor.check.gradient": "∇T equals ∇{f} at x₀ (autograd on {f})",
    "taylor.check.hessian": "the Hessian of T equals autograd's Hessian of {f} at x₀",
    "taylor.check.change": "the exact change against torch in float64",
    "taylor.row.exact": "exact: {f}(x₀ + δ) − {f}(x₀)",
    "taylor.row.first": "first order: ∇{f}·δ",
    "taylor.row.second": "second order: ∇{f}·δ + ½δᵀHδ",
    "taylor.row.order": "order {k}: T{k}(x₀ + δ) − {f}(x₀)",
    "taylor.column.estimate": "estimate",
    "taylor.column.change": "δf",
    "taylor.column.error": "error",
    "taylor.change.title": "The change for δ = {delta}",
    "taylor.change": (
        "{moved} − {start} = {exact} (≈ {approx}). The estimates from the derivatives at x₀:"
    ),
    # -- stationary points ----------------------------------------------------------------
    "stationary.title": "Stationary points",
    "stationary.zero.title": "Set {grad} = 0",
    "stationary.zero": "A stationary point is where every partial derivative is zero:",
    "elimination.solve": "Solve {row} for {x}",
    "elimination.substitute": "Substitute {values} into {row}",
    "elimination.zero": "{row} is 0 = 0",
    "elimination.says": "{row} says {value} = 0",
    "elimination.dependent": "Dependent: this equation says nothing new.",
    "elimination.inconsistent": "Contradiction: no point satisfies every equation.",
    "stationary.family.title": "Infinitely many",
    "stationary.family": (
        "The equations are dependent (rank {rank} < {n}): every point of this family, for "
        "any {free}, is stationary:"
    ),
    "stationary.none.title": "No solution",
    "stationary.none": "The equations contradict each other: there is no stationary point.",
    "stationary.solve.title": "Solve the system",
    "stationary.polynomial.one": (
        "The gradient's numerators are polynomials. A Gröbner basis (lex order) eliminates to "
        "one polynomial in {last}; its real roots are isolated exactly and each is substituted "
        "back (to 50 digits). Kept where {f} is defined: {n} real solution, and no others. "
        "This list is complete."
    ),
    "stationary.polynomial.other": (
        "The gradient's numerators are polynomials. A Gröbner basis (lex order) eliminates to "
        "one polynomial in {last}; its real roots are isolated exactly and each is substituted "
        "back (to 50 digits). Kept where {f} is defined: {n} real solutions, and no others. "
        "This list is complete."
    ),
    "stationary.periodic.one": (
        "The gradient is a polynomial in the sines and cosines of {names}. With t = tan(v/2) "
        "for each of them (sin v = 2t/(1 + t²), cos v = (1 − t²)/(1 + t²)) it becomes a "
        "rational system, solved completely by a Gröbner basis and exact real-root isolation; "
        "v = π, where t is infinite, is solved on its own. With {names} in (−π, π]: {n} "
        "solution, and no others there. {f} repeats every 2π in {names}, so every stationary "
        "point is one of these plus whole multiples of 2π: infinitely many, each point below "
        "standing for its family."
    ),
    "stationary.periodic.other": (
        "The gradient is a polynomial in the sines and cosines of {names}. With t = tan(v/2) "
        "for each of them (sin v = 2t/(1 + t²), cos v = (1 − t²)/(1 + t²)) it becomes a "
        "rational system, solved completely by a Gröbner basis and exact real-root isolation; "
        "v = π, where t is infinite, is solved on its own. With {names} in (−π, π]: {n} "
        "solutions, and no others there. {f} repeats every 2π in {names}, so every stationary "
        "point is one of these plus whole multiples of 2π: infinitely many, each point below "
        "standing for its family."
    ),
    "stationary.search.one": (
        "The system is not polynomial, so no method here proves a list complete. SymPy's solve "
        "and Newton's method from a grid of {starts} starting points in the box {box} found "
        "{n} real solution; more may lie outside the box, or inside it where no start led."
    ),
    "stationary.search.other": (
        "The system is not polynomial, so no method here proves a list complete. SymPy's solve "
        "and Newton's method from a grid of {starts} starting points in the box {box} found "
        "{n} real solutions; more may lie outside the box, or inside it where no start led."
    ),
    "stationary.unrefined.one": (
        " Newton also reached {n} more point with higher values of {f}, not refined or listed "
        "(the lowest {most} are)."
    ),
    "stationary.unrefined.other": (
        " Newton also reached {n} more points with higher values of {f}, not refined or "
        "listed (the lowest {most} are)."
    ),
    "stationary.classify.title": "Classify {point}",
    "stationary.eigenvalues": "At {coords} the eigenvalues of H are {values}{signs}: {verdict}.",
    "stationary.eigenvalues.minors": (
        "At {coords} the eigenvalues of H are {values} (the roots of {characteristic}); "
        "{minors}: {verdict}."
    ),
    "stationary.signs.minimum": ", all > 0",
    "stationary.signs.maximum": ", all < 0",
    "stationary.signs.saddle": ", of both signs",
    "stationary.signs.degenerate": ", one of them 0",
    "stationary.signs.zero": ", all 0",
    "stationary.check.zero": "autograd gradient is zero at ({coords})",
    "stationary.check.hessian.one": "H at the stationary point against autograd's Hessian",
    "stationary.check.hessian.other": "H at the {n} stationary points against autograd's Hessian",
    # -- normal equation ------------------------------------------------------------------
    "normal.title": "Normal equation",
    "normal.matrix_form.title": "The matrix form",
    "normal.feature": "{feature} for {weight}",
    "normal.matrix_form": (
        "Write the fit as y ≈ Xŵ with ŵ = {weights}. Row i of X holds the features that "
        "multiply the weights in row i ({features}; a feature 1 is the column of ones)."
    ),
    "normal.offset": (
        "The part of the model without weights, {offset}, is moved to the left: y here is y "
        "minus it."
    ),
    "normal.summed.exact": "XᵀX and Xᵀy were summed from the data exactly, in rationals",
    "normal.summed.float": (
        "XᵀX and Xᵀy were summed from the data in float64 for the derivation below; ŵ itself "
        "is computed from X (see the rank and conditioning step)"
    ),
    "normal.summed.partitions": (
        "X is never in memory: Dask read {source} in {parts} partitions, and each partition's "
        "XᵀX, Xᵀy and yᵀy, summed in float64, were added in a tree; ŵ is computed from these "
        "sums (see the rank and conditioning step)"
    ),
    "normal.size": "X has {m} rows and {n} columns; {how}.",
    "normal.differentiate.title": "Differentiate the loss in matrix form",
    "normal.note.transpose": "(A − B)ᵀ = Aᵀ − Bᵀ, (AB)ᵀ = BᵀAᵀ",
    "normal.note.number": "yᵀXŵ is a number, equal to its transpose ŵᵀXᵀy",
    "normal.note.derivative": "∂(ŵᵀa)/∂ŵ = a, ∂(ŵᵀAŵ)/∂ŵ = 2Aŵ for symmetric A",
    "normal.scaled": (
        "The loss is {scale}·SSE; a positive factor does not move the minimum, so the same "
        "equation holds."
    ),
    "normal.numbers.title": "The normal equation in numbers",
    "normal.rank.title": "Is XᵀX invertible?",
    "normal.rank": "rank(XᵀX) = {rank} of {n}; det(XᵀX) = {det}.",
    "normal.full_rank": "Full rank: XᵀX is invertible and the minimum is unique.",
    "normal.singular": (
        "XᵀX is singular: the columns of X are linearly dependent (with fewer independent rows "
        "or features than unknowns, this always happens), so no unique ŵ minimises the loss."
    ),
    "normal.null": (
        "For v = {v}, Xv = 0: moving ŵ along v changes no prediction, so every point of that "
        "line has the same loss."
    ),
    "normal.svd.title": "Rank, conditioning and the solution",
    "normal.svd": (
        "The data are floats, so ŵ is computed from the singular value decomposition of X "
        "itself (LAPACK gelsd, backward stable; XᵀX, whose condition number is κ(X)², is "
        "never inverted). Singular values of X: {sigmas}. Numerical rank: {rank} of {n} "
        "(singular values above σ₁·max(m, n)·ε = {tolerance})."
    ),
    "normal.gram_svd": (
        "The rows were reduced to XᵀX, so ŵ is computed from its eigen-decomposition: the "
        "singular values of X are the square roots of XᵀX's eigenvalues: {sigmas}. Numerical "
        "rank: {rank} of {n} (singular values above σ₁·√(10nε) = {tolerance}: below that XᵀX "
        "cannot tell them from zero). Solving XᵀX squares X's condition number, so the digits "
        "claimed below are those the bound (10 + √m)·κ²·ε leaves."
    ),
    "normal.deficient": (
        "X is numerically rank-deficient: in float64 some combination of its columns is zero, "
        "so no unique ŵ minimises the loss. The minimum-norm solution is given; add ridge "
        "(λ > 0) for a unique, stable one."
    ),
    "normal.deficient.ridge": (
        "X is numerically rank-deficient, but the ridge term makes the solution unique."
    ),
    "normal.conditioned": (
        "cond(X) = σ₁/σₙ = {kappa}: well conditioned; about {digits} digits of ŵ are guaranteed."
    ),
    "normal.ill_conditioned.one": (
        "Warning: cond(X) = σ₁/σₙ = {kappa}. Float64 carries about 16 digits; the error bound "
        "ε·(κ + κ²‖r‖/(‖X‖‖ŵ‖)) leaves about {digits} correct significant digit in ŵ, and the "
        "rest are at risk. Rescale or centre the features, or give the data exactly (few rows "
        "of exact numbers are solved in exact arithmetic)."
    ),
    "normal.ill_conditioned.other": (
        "Warning: cond(X) = σ₁/σₙ = {kappa}. Float64 carries about 16 digits; the error bound "
        "ε·(κ + κ²‖r‖/(‖X‖‖ŵ‖)) leaves about {digits} correct significant digits in ŵ, and the "
        "rest are at risk. Rescale or centre the features, or give the data exactly (few rows "
        "of exact numbers are solved in exact arithmetic)."
    ),
    "normal.deficient.gram": (
        "XᵀX cannot tell X's smallest singular value from zero in float64: X is rank-deficient, "
        "or only too ill-conditioned for XᵀX to resolve (κ(X) beyond about 10⁷). The "
        "minimum-norm solution is given; centre or rescale the features, load the rows into "
        "memory (then ŵ comes from the SVD of X), or add ridge (λ > 0)."
    ),
    "normal.gram_conditioned": (
        "cond(X) = σ₁/σₙ = {kappa}; solved from XᵀX, the bound (10 + √m)·κ²·ε guarantees about "
        "{digits} digits of ŵ."
    ),
    "normal.gram_ill_conditioned.one": (
        "Warning: cond(X) = σ₁/σₙ = {kappa}, and XᵀX squares it: the bound (10 + √m)·κ²·ε "
        "leaves about {digits} correct significant digit in ŵ, and the rest are at risk. "
        "Rescale or centre the features, or load fewer rows into memory (then ŵ comes from the "
        "SVD of X, whose error grows like κ, not κ²)."
    ),
    "normal.gram_ill_conditioned.other": (
        "Warning: cond(X) = σ₁/σₙ = {kappa}, and XᵀX squares it: the bound (10 + √m)·κ²·ε "
        "leaves about {digits} correct significant digits in ŵ, and the rest are at risk. "
        "Rescale or centre the features, or load fewer rows into memory (then ŵ comes from the "
        "SVD of X, whose error grows like κ, not κ²)."
    ),
    "normal.shown_digits": "ŵ is shown to the {digits} guaranteed significant digits.",
    "normal.solve.title": "Solve",
    "normal.ridge.title": "Ridge: solve (XᵀX + λI)ŵ = Xᵀy",
    "normal.ridge": (
        "Adding λI ({lam}) makes the matrix invertible; the solution minimises SSE + λ‖ŵ‖², "
        "close to the least-squares minimum."
    ),
    "normal.pinv.title": "The minimum-norm solution",
    "normal.pinv": "Of all minimisers, the one with the smallest ‖ŵ‖ uses the pseudo-inverse:",
    "normal.pinv.ridge": (
        "To pick a unique, stable solution instead, add  ridge: λ  to the task (for example  "
        "normal_equation: {{ridge: 0.1}})."
    ),
    "normal.closed.title": "Check with Lesson 5's closed form",
    "normal.closed.sums": "with m = {m}, {sx}, {sxx}, {sy}, {sxy}.",
    "normal.check.cholesky": (
        "ŵ against the normal equations XᵀXŵ = Xᵀy solved by Cholesky in float64"
    ),
    "normal.check.squared": (
        "XᵀX squares κ(X) = {kappa} to {squared}, which leaves float64 no reliable digit to compare"
    ),
    "normal.check.lstsq": "ŵ against torch.linalg.lstsq on the same data",
    "normal.check.judge": (
        "ŵ against the judge's own sums over every row (torch autograd's ∂ŷ/∂w, made in the "
        "same pass), solved by Cholesky"
    ),
    "normal.check.lstsq.exact": (
        "torch.linalg.lstsq on the same data agrees with the exact ŵ within its error bound"
    ),
    "normal.check.deficient": (
        "X is numerically rank-deficient in float64 (its smallest singular value is below "
        "ε·σ_max), so a float solver has no correct digit to compare"
    ),
    "normal.check.orthogonal": "Xᵀ(y − Xŵ) = {right} summed over the {m} rows",
    "normal.check.gradient": "autograd gradient of {f} is zero at ŵ",
    "normal.check.stationary": "stationary_points (elimination on ∇ = 0) finds the same ŵ",
    # -- gradient descent -----------------------------------------------------------------
    "descent.title": "Gradient descent",
    "descent.memory.size.one": "{steps} steps × {rates} learning rate",
    "descent.memory.size.other": "{steps} steps × {rates} learning rates",
    "descent.memory.variables.one": " × {n} variable",
    "descent.memory.variables.other": " × {n} variables",
    "descent.memory.rows": ", over {rows} rows",
    "descent.rule.title": "The update rule",
    "descent.rule": ("Each step moves against the gradient: {rule}, component by component:"),
    "descent.rows": (
        "Each step moves against the gradient: {rule}. Over the {m} rows, "
        "{row} = {sum} (chain rule), evaluated over all rows at once, where ŷ = {rhs} and:"
    ),
    "descent.rate": "with learning rate α = {rates}.",
    "descent.bound.title": "How large may α be?",
    "descent.bound.negative": (
        "H has a negative eigenvalue, λ_min = {bottom}: along its eigenvector the loss curves "
        "downward, so every step multiplies that component of w by 1 − αλ_min > 1. No "
        "learning rate α > 0 converges from a generic start, and the quadratic loss is "
        "unbounded below: the iterates run off while the loss falls without end. Gradient "
        "descent needs a minimum, and this loss has none."
    ),
    "descent.bound.zero": "H is zero: the loss is linear in w and has no minimum to descend to.",
    "descent.bound": (
        "The loss is quadratic, so each step multiplies the error by I − αH. It shrinks in "
        "every direction when {condition}, with {lmax} = {top}{approx}:"
    ),
    "descent.fate.edge": (
        "α = {rate} = {bound}: oscillates forever at a constant size (neither converges nor "
        "diverges)"
    ),
    "descent.fate.converges": "α = {rate} < {bound}: converges",
    "descent.fate.diverges": "α = {rate} > {bound}: diverges (oscillates with growing size)",
    "descent.eigenvector": "its eigenvector",
    "descent.flat": (
        "But H is only semidefinite: it has eigenvalue 0 along {directions}. Along that "
        "direction the loss does not change, so the gradient has no component there and no "
        "step ever moves w along it: descent converges to the minimiser that keeps the "
        "start's component in that direction, one of infinitely many minima."
    ),
    "descent.first.title": "The first steps (α = {rate})",
    "descent.every.one": "Every step",
    "descent.every.other": "Every {n} steps",
    "descent.every.capped": " (show: {show} would print {rows} rows; at most {most})",
    "descent.column.final": "final w",
    "descent.column.steps": "steps",
    "descent.column.status": "status",
    "descent.status.converged": "converged",
    "descent.status.diverged": "diverged",
    "descent.status.oscillating": "oscillating",
    "descent.status.slow": "slow",
    "descent.sweep.title": "All learning rates, run as one batch",
    "descent.sweep": (
        "Too small a step converges slowly; too large a step oscillates and, beyond "
        "{bound}, diverges."
    ),
    "descent.stop.title": "Why it stopped",
    "descent.stop": "α = {rate}: stopped after {n} steps because {because}.",
    "descent.stop.max_steps": "it took all the steps asked for",
    "descent.stop.small_step": "a step moved w by less than tol = {tol}",
    "descent.stop.small_gradient": "|{grad}| fell below tol = {tol}",
    "descent.stop.diverged": (
        "w left every sensible scale (|w| > 1e100): the run DIVERGED; lower the learning rate"
    ),
    "descent.unbounded": (
        " The loss fell from {first} to {last} and keeps falling: it is unbounded below, so "
        "the iterates run off whatever the learning rate."
    ),
    "descent.diverging": (
        " But the loss grew from {first} to {last}: the run is DIVERGING; lower the learning rate."
    ),
    "descent.exact.title": "Exactly",
    "descent.exact": "The first {n} steps in exact arithmetic (α = {rate}):",
    "descent.exact.minimum": (
        "where w* = {star} is the minimum: each step multiplies the distance to it by at "
        "most {ratio} = {factor} < 1 (λ an eigenvalue of H), so it shrinks."
    ),
    "descent.exact.minimum.stays": (
        "where w* = {star} is the minimum: some eigenvalue λ of H has {ratio} = 1, so along "
        "it the distance to w* never shrinks."
    ),
    "descent.exact.minimum.grows": (
        "where w* = {star} is the minimum: some eigenvalue λ of H has {ratio} = {factor} > 1, "
        "so along it the distance to w* grows at every step."
    ),
    "descent.check.method": (
        "torch.autograd on the problem's definition (float64) against this {dtype} run"
    ),
    "descent.check": (
        "the first {n} steps in torch autograd (loss.backward()), α = {rate}: largest "
        "difference on the path"
    ),
    "descent.check.steps": "{n} steps",
    "descent.check.rows": "{n} row-steps ({m} rows a step)",
    "descent.check.passes": "{n} passes over the partitioned data, one a step",
    "descent.check.budget": " (of {done}: the twin's budget is {budget})",
    "descent.check.far": "the path left the range where float64 paths can be compared",
    # -- backpropagation -------------------------------------------------------------------
    "backprop.title": "Backpropagation",
    "backprop.graph.title": "The computational graph",
    "backprop.graph": (
        "Each operation is a node. The leaves are the inputs ({inputs}); {intermediate}the "
        "output is {f}. An edge carries a value forward and, labelled with its local "
        "derivative, a gradient backward. A subexpression used twice is one node."
    ),
    "backprop.intermediate": "the intermediate nodes ({nodes}) hold partial results; ",
    "backprop.kind.leaf": "leaf (input)",
    "backprop.kind.intermediate": "intermediate",
    "backprop.kind.output": "output",
    "backprop.column.node": "node",
    "backprop.column.kind": "kind",
    "backprop.column.op": "computes",
    "backprop.column.expr": "as a function of the leaves",
    "backprop.column.operation": "operation",
    "backprop.column.values": "with the values",
    "backprop.column.value": "value",
    "backprop.column.adjoint": "adjoint",
    "backprop.column.chain": "chain rule",
    "backprop.column.above": "adjoint above",
    "backprop.input": "input",
    "backprop.start": "start",
    "backprop.forward.title": "Forward pass at {point}",
    "backprop.forward": "From the leaves to the output, each node computed from its children:",
    "backprop.backward.title": "Backward pass",
    "backprop.backward": (
        "From the output back: ∂{f}/∂{f} = 1, and each node's adjoint is the sum, over the "
        "edges leaving it, of the adjoint upstream times the edge's local derivative (the "
        "chain rule):"
    ),
    "backprop.gradient": (
        "The leaves' adjoints are the gradient: each is the product of the local derivatives "
        "along the path from the output (summed over paths):"
    ),
    "backprop.absent": "{x} does not appear",
    "backprop.torch.title": "The same graph in torch",
    "backprop.torch": (
        "Each leaf is a tensor with requires_grad=True; each other node is computed from its "
        "children, and retain_grad() keeps its .grad (torch keeps only the leaves' by "
        "default). {f}.backward() then fills every .grad. A leaf has no grad_fn; every other "
        "node's grad_fn names the operation that made it:"
    ),
    "backprop.check.symbolic": "the leaves' adjoints against ∂{f}/∂· differentiated directly",
    "backprop.check.torch": "every node's adjoint against torch's .grad ({n} nodes)",
    # -- convexity ----------------------------------------------------------------------
    "convexity.title": "Convexity",
    "convexity.second.title": "The second derivative",
    "convexity.question": "Convex?",
    "convexity.constant.minors": (
        "the Hessian is constant, with {minors}: it is positive definite everywhere, so {f} "
        "is convex (a proof)."
    ),
    "convexity.constant.second": "{f2} = {values} ≥ 0 everywhere: {f} is convex (a proof).",
    "convexity.constant.eigenvalues": (
        "The Hessian is constant with eigenvalues {values} ≥ 0 everywhere: {f} is convex (a proof)."
    ),
    "convexity.concave": "{f2} = {values} < 0 everywhere: {f} is concave, not convex.",
    "convexity.negative.eigenvalue": (
        "The Hessian is constant with eigenvalues {values}, one negative: {f} is not convex."
    ),
    "convexity.rules": (
        "{f} is convex by composition ({rules}): a proof that needs no second derivative."
    ),
    "convexity.domain": " (where {signs})",
    "convexity.second.nonnegative": (
        "{f2} = {value} ≥ 0 for every {x}{domain}: {f} is convex (a proof)."
    ),
    "convexity.second.domain": "{f2} = {value} ≥ 0 on the whole domain{domain}: {f} is convex.",
    "convexity.second.negative": (
        "{f2} = {value} is negative where {x} ∈ {region}, e.g. {at} = {there} < 0: {f} is not "
        "convex."
    ),
    "convexity.minors.semidefinite": (
        "every principal minor of H is ≥ 0 at every point{domain}: H is positive "
        "semidefinite, {f} is convex (a proof)."
    ),
    "convexity.minors.definite": (
        "every leading principal minor of H is positive for all points{domain}: H is "
        "positive definite, {f} is convex (a proof)."
    ),
    "convexity.search.second": (
        "at {point}, {f2} is {value} < 0 (found by searching {n} points): {f} is not convex."
    ),
    "convexity.search.eigenvalue": (
        "at {point}, the smallest eigenvalue of H is {value} < 0 (found by searching {n} "
        "points): {f} is not convex."
    ),
    "convexity.undecided": (
        "{why}, and no negative curvature was found at {n} sampled points: convexity undecided."
    ),
    "convexity.undecided.late": (
        "the symbolic second-derivative test ran out of its {seconds} s budget"
    ),
    "convexity.undecided.unproved": "SymPy could not prove the curvature nonnegative",
    "convexity.check.second": "second derivatives against autograd at random points",
    "convexity.check.witness": (
        "autograd's Hessian at the counterexample has a negative eigenvalue"
    ),
    "convexity.definition.title": "The definition on the given points",
    "convexity.definition": (
        "With weights α = {weights}, the weighted average of the points' values (C, on the "
        "chord) is compared with the value at the weighted average point (D, on the graph):"
    ),
    "convexity.chord.row": "C (on the chord)",
    "convexity.graph.row": "D (on the graph)",
    "convexity.definition.verdict": "{comparison}: {verdict}",
    "convexity.definition.holds": "C lies on or above D, as convexity requires.",
    "convexity.definition.fails": (
        "C lies below D: {f} is not convex (this pair is a counterexample)."
    ),
    # -- hessian ----------------------------------------------------------------------
    "hessian.title": "Hessian",
    "hessian.matrix.title": "The Hessian",
    "hessian.differentiate": "Differentiate {first} = {value} with respect to {x}.",
    "hessian.not_equal": "NOT EQUAL",
    "hessian.symmetry.title": "Symmetry",
    "hessian.symmetric": (
        "The mixed partials agree in either order (Schwarz's theorem, for continuous second "
        "partials): H is symmetric."
    ),
    "hessian.check": "H against autograd at {n} points",
    "hessian.curvature.minimum": (
        "Eigenvalues {values}: positive definite: {f} curves upward in every direction here."
    ),
    "hessian.curvature.maximum": (
        "Eigenvalues {values}: negative definite: {f} curves downward in every direction here."
    ),
    "hessian.curvature.saddle": (
        "Eigenvalues {values}: indefinite: {f} curves up in some directions and down in others."
    ),
    "hessian.curvature.degenerate": (
        "Eigenvalues {values}: semidefinite: flat (zero curvature) in some direction."
    ),
    # -- curvature: what a Hessian's eigenvalues say --------------------------------------
    "curvature.verdict.minimum": "positive definite, a minimum",
    "curvature.verdict.maximum": "negative definite, a maximum",
    "curvature.verdict.saddle": "a saddle point",
    "curvature.verdict.degenerate": "the second-derivative test cannot decide",
    "curvature.minors.minimum": ("leading principal minors {minors} > 0 (Sylvester's criterion)"),
    "curvature.minors.maximum": (
        "leading principal minors {minors} alternate in sign, starting below 0 "
        "(Sylvester's criterion)"
    ),
    "curvature.minors.saddle": (
        "leading principal minors {minors} fit neither pattern, and the last (det H) is not 0 "
        "(Sylvester's criterion)"
    ),
    # -- at a point ------------------------------------------------------------------
    "at.title": "At {point}",
    "at.not_differentiable": "{f} is not differentiable at {point}.",
    "at.not_differentiable.twice": "{f} is not twice differentiable at {point}.",
    "at.not_differentiable.because": (
        "{f} is not differentiable at {point}: {part} is undefined there ({why}), so no value "
        "or table is given for it."
    ),
    "at.not_differentiable.twice.because": (
        "{f} is not twice differentiable at {point}: {part} is undefined there ({why}), so "
        "no value or table is given for it."
    ),
    "undefined.nan": "0/0",
    "undefined.zoo": "division by zero",
    "undefined.complex": "not a real number",
    # -- the problem statement: a model fitted to data ----------------------------------
    "statement.objective": "The objective from the data",
    "statement.objective.collapsed": "The objective from the data, collapsed",
    "statement.model.one": "Model {yhat} = {rhs} on {m} data point ({origin}); {score}{tail}",
    "statement.model.other": "Model {yhat} = {rhs} on {m} data points ({origin}); {score}{tail}",
    "statement.score": "ŷ is a score, {sigma} the probability of {y} = 1; ",
    "statement.residuals": "each point gives a prediction and a residual:",
    "data.origin.inline": "inline data",
    "data.origin.csv": "CSV file {file}",
    "data.origin.csv_float": "CSV file {file} (read as float64: over {rows} rows)",
    "data.origin.generated": "generated data (n = {n}, seed = {seed})",
    "data.origin.parquet": "Parquet data {file} ({n} partitions, read by Dask)",
    "data.origin.csv_glob": "CSV files {file} ({n} partitions, read by Dask)",
    "statement.first_rows": "the first rows:",
    "statement.collapsed.partitions": (
        "The model is linear in {weights}, so the sum over all {m} rows is a quadratic form "
        "in the weights. Its coefficients are sums over the data: each partition's, in "
        "float64, added by Dask in a tree:"
    ),
    "statement.collapsed": (
        "The model is linear in {weights}, so the sum over all {m} rows is a quadratic form "
        "in the weights. Its coefficients are sums over the data, computed once in float64, "
        "in chunks:"
    ),
    # -- figures ------------------------------------------------------------------------
    "figure.curve.title": "The curve",
    "figure.surface.title": "The surface",
    "figure.curve": "{f} over the region of interest: its curve.",
    "figure.surface": (
        "{f} over the region of interest: its surface, with its contour map beneath."
    ),
    "figure.path.title": "The path",
    "figure.path": "The gradient-descent path{each}{minimum}",
    "figure.path.each": " for each learning rate",
    "figure.path.minimum": ", the minimum marked.",
    "figure.loss.title": "The loss per iteration",
    "figure.loss.one": "{f} per iteration.",
    "figure.loss.other": "{f} per iteration, one line per learning rate.",
    "figure.gradient.title": "Level curves and gradient arrows",
    "figure.gradient": (
        "Level curves with gradient arrows: each arrow is normal to the level curve through "
        "its foot and points uphill; the red one is at the point."
    ),
    "figure.tangent.title": "The tangent line",
    "figure.tangent": "{f} and its tangent line at {x} = {at}.",
    "figure.fit.title": "The fitted model",
    "figure.fit": "The data and the fitted model {label}.",
    # -- the printers' own words ----------------------------------------------------------
    "head.source": "Source: {source}",
    "head.variables": "Variables: {variables}",
    "head.constants": "Constants: {constants}",
    "head.objective": "Objective: {objective}",
    "head.setup": "The objective",
    "head.checks": "Checks",
    "head.figure": "figure {name}: {caption}",
    "diagram.leaves": "leaves: {leaves}",
    "check.line": "{mark} {what}: {detail} ({method})",
    "check.line.numeric": "{mark} {what}: max |error| {error} (tolerance {tolerance}; {method})",
    "check.line.unchecked": "– unchecked: {what} ({reason}; {method})",
    "check.failed": "✗ FAILED",
    "check.disagree": "{failed} of {total} disagree",
    "check.agree.one": "it agrees",
    "check.agree.other": "all {total} agree",
    "check.no_point": "no sampled point lies where both sides are real and finite",
    # how a check compared (its method), where that is more than a function's name
    "method.rules": "exact, else 60 digits on the domain",
    "method.backprop.exact": "exact arithmetic, else 50 digits (SymPy's derivative at the point)",
    "method.witness": "torch.autograd.functional.hessian (float64): its smallest eigenvalue",
    "method.cholesky": "numpy.linalg.cholesky of the float64 XᵀX summed from the data",
    "method.cholesky.judge": (
        "numpy.linalg.cholesky of the judge's float64 sums; tolerance 2·(10 + √m)·κ²·ε·‖ŵ‖"
    ),
    "method.cholesky.tolerance": "{method}; tolerance (10 + √m)·κ²·ε·‖ŵ‖ + the SVD's bound",
    "method.lstsq.bound": (
        "torch.linalg.lstsq (gelsd, float64), κ(X) = {kappa}; bound 10·ε·(κ + κ²‖r‖/(‖X‖‖ŵ‖))·‖ŵ‖"
    ),
    "method.rational": "exact rational arithmetic on the raw data",
    "method.elimination.exact": "exact elimination against the exact inverse",
    "method.elimination.float": "elimination in float64",
    "method.sigma": "equal after expand, else to 60 digits at random points",
    "method.none": "none",
    "method.directional.exact": "exact values: equal exactly, else to 50 of 60 digits",
    "method.finite_difference": "finite difference (float64)",
    # a list of names (rules, steps) in running text
    "list.separator": ", ",
    # clauses in one sentence, and the sentence's end
    "list.clauses": "; ",
    "list.end": ".",
    # -- the names of rules and steps (tutor.calculus says them in English; see named()) --
    "name.constant_rule": "constant rule",
    "name.variable_rule": "variable rule",
    "name.sum_rule": "sum rule",
    "name.constant_multiple_rule": "constant multiple rule",
    "name.product_rule": "product rule",
    "name.quotient_rule": "quotient rule",
    "name.power_rule": "power rule",
    "name.exponential_rule": "exponential rule",
    "name.function_rule": "function rule",
    "name.chain_rule": "chain rule",
    "name.logarithm_rule": "logarithm rule",
    "name.logarithm_base_b_rule": "logarithm base b rule",
    "name.logarithmic_differentiation": "logarithmic differentiation",
    "name.max_min_rule": "max/min rule",
    "name.atan2_rule": "atan2 rule",
    "name.no_step_by_step_rule_sympy_s_diff": "no step-by-step rule (SymPy's diff)",
    "name.sine_rule": "sine rule",
    "name.cosine_rule": "cosine rule",
    "name.tangent_rule": "tangent rule",
    "name.cotangent_rule": "cotangent rule",
    "name.secant_rule": "secant rule",
    "name.cosecant_rule": "cosecant rule",
    "name.arcsine_rule": "arcsine rule",
    "name.arccosine_rule": "arccosine rule",
    "name.arctangent_rule": "arctangent rule",
    "name.arccotangent_rule": "arccotangent rule",
    "name.arcsecant_rule": "arcsecant rule",
    "name.arccosecant_rule": "arccosecant rule",
    "name.hyperbolic_sine_rule": "hyperbolic sine rule",
    "name.hyperbolic_cosine_rule": "hyperbolic cosine rule",
    "name.hyperbolic_tangent_rule": "hyperbolic tangent rule",
    "name.hyperbolic_cotangent_rule": "hyperbolic cotangent rule",
    "name.hyperbolic_secant_rule": "hyperbolic secant rule",
    "name.hyperbolic_cosecant_rule": "hyperbolic cosecant rule",
    "name.inverse_hyperbolic_sine_rule": "inverse hyperbolic sine rule",
    "name.inverse_hyperbolic_cosine_rule": "inverse hyperbolic cosine rule",
    "name.inverse_hyperbolic_tangent_rule": "inverse hyperbolic tangent rule",
    "name.inverse_hyperbolic_cotangent_rule": "inverse hyperbolic cotangent rule",
    "name.absolute_value_rule": "absolute value rule",
    "name.sign_rule": "sign rule",
    "name.expand_and_collect": "expand and collect",
    "name.slipped": "a slip (as a student made it)",
    "name.factor": "factor",
    "name.simplify": "simplify",
    "name.expand": "expand",
    "name.common_denominator": "common denominator",
    "name.affine": "affine",
    "name.sum_of_convex_functions": "sum of convex functions",
    "name.non_negative_multiple": "non-negative multiple",
    "name.even_power_of_an_affine_map": "even power of an affine map",
    "name.absolute_value_of_an_affine_map": "absolute value of an affine map",
    "name.exp_of_an_affine_map": "exp of an affine map",
    "name.log_sum_exp_of_affine_maps": "log-sum-exp of affine maps",
    "name.maximum_of_convex_functions": "maximum of convex functions",
    "name.quadratic_with_a_positive_semidefinite_hessian": (
        "quadratic with a positive semidefinite Hessian"
    ),
    # -- grading a student's answers (tutor grade) ------------------------------------------
    "grade.correct": "Right.",
    "grade.also": "{first} {second}",
    "grade.unsimplified": "Right, but not simplified: {f} = {value}.",
    "grade.undecided": (
        "tutor could not decide whether this equals {f} (no point where both are defined, "
        "and simplify does not decide): a teacher should look."
    ),
    "grade.missing": "No answer.",
    "grade.no_key": "tutor has no checked answer for this part (the task was not finished).",
    "grade.over_budget": "Comparing this answer took longer than {seconds} s: not graded.",
    "grade.differs": (
        "This is not {f}: at {point} it gives {value}, {f} gives {right}; none of the common "
        "slips reproduces it."
    ),
    "grade.differs.nowhere": "This is not {f}; none of the common slips reproduces it.",
    "grade.line.unreadable": "Line {n} cannot be read: {error}",
    "grade.line.first": "The first line is not the derivative: {sentence}",
    "grade.line.next": "Line {n} does not follow from line {m}: {sentence}",
    "grade.value.wrong": (
        "{f} here is {right}, not {value}; none of the common slips gives {value}."
    ),
    "grade.number.wrong": "The value is {right}, not {value}.",
    "grade.value.arithmetic": (
        "An arithmetic slip: your {f} is right, and at {point} it is {right}, not {value}."
    ),
    "grade.points.kind": "{point} is a {right}, not a {kind}.",
    "grade.points.missing.one": "Missing stationary point: {points}.",
    "grade.points.missing.other": "Missing stationary points: {points}.",
    "grade.points.slip": (
        "{point} is not stationary; it is where the slipped gradient vanishes: {sentence}"
    ),
    "grade.points.one_equation": (
        "{point} is not stationary: there {f} = {value}, not 0 (a slip in solving the equations)."
    ),
    "grade.points.not_stationary": (
        "{point} is not a stationary point: the gradient is not 0 there."
    ),
    "grade.convex.yes": "The function is convex (the convexity task shows why).",
    "grade.convex.no": "The function is not convex (the convexity task shows a counterexample).",
    "grade.point": "{point}",
    "grade.kind.minimum": "minimum",
    "grade.kind.maximum": "maximum",
    "grade.kind.saddle": "saddle point",
    "grade.kind.degenerate": "degenerate point",
    "grade.history.too_long": "The run has only {count} iterates; the extra ones cannot be right.",
    "grade.history.start": "Descent starts at {point}.",
    "grade.history.ascent": (
        "From step {k} on, the steps go up the gradient, not down: w − α∇L, not w + α∇L."
    ),
    "grade.history.missing_factor": (
        "From step {k} on, every step is {factor} times as long as it should be: a factor is "
        "missing from the gradient or extra (the 2 of a square's derivative, or the 1/m of a "
        "mean)."
    ),
    "grade.history.wrong_learning_rate": (
        "From step {k} on, the steps use the learning rate {lr}, not {right}."
    ),
    "grade.history.slip": "From step {k} on, the steps follow a slipped gradient: {sentence}",
    "grade.history.arithmetic": (
        "Step {k} should land on {point} (an arithmetic slip); the steps after it follow from "
        "yours correctly."
    ),
    "grade.history.wrong": "Step {k} should land on {point}.",
    "grade.slip.chain_rule_inner_dropped": (
        "In the chain rule for {where}, the inner derivative {part} is missing: multiply by it."
    ),
    "grade.slip.chain_rule_inner_dropped.everywhere": (
        "Every chain rule is missing its inner derivative: the derivative of f(u) is f′(u)·u′."
    ),
    "grade.slip.sign_lost.inner": (
        "In the chain rule for {where}, the inner derivative is {part}: its minus sign was lost."
    ),
    "grade.slip.sign_lost.inner.everywhere": (
        "The inner derivatives' minus signs were lost everywhere: the whole answer has the "
        "wrong sign."
    ),
    "grade.slip.sign_lost.outer": "The derivative of the function in {where} has the wrong sign.",
    "grade.slip.sign_lost.constant": "The minus sign of the factor {part} in {where} was lost.",
    "grade.slip.sign_lost.term": "The sign of the term {where} changed from one line to the next.",
    "grade.slip.sign_lost.distributed": (
        "Expanding {where}, the sign of {part} is wrong: a minus multiplies every term."
    ),
    "grade.slip.sign_lost.vector": "Every entry has the wrong sign.",
    "grade.slip.sign_lost.value": "The value has the wrong sign.",
    "grade.slip.term_dropped": "The term {where} was dropped.",
    "grade.slip.power_rule_exponent.kept": (
        "In {where}, the power rule lowers the exponent by one: n·uⁿ⁻¹ with n = {part}, not n·uⁿ."
    ),
    "grade.slip.power_rule_exponent.raised": (
        "In {where}, the power rule lowers the exponent by one (n = {part}); it does not raise it."
    ),
    "grade.slip.power_rule_coefficient.dropped": (
        "In {where}, the power rule's factor {part} is missing: the derivative of uⁿ is n·uⁿ⁻¹·u′."
    ),
    "grade.slip.power_rule_coefficient.lowered": (
        "In {where}, the power rule's factor is n = {part}, not n − 1."
    ),
    "grade.slip.product_rule_term_missing": (
        "In the product rule for {where}, the term {part} is missing: (fg)′ = f′g + fg′."
    ),
    "grade.slip.product_rule_term_missing.product_of_derivatives": (
        "The derivative of the product {where} is not the product of the derivatives: "
        "(fg)′ = f′g + fg′."
    ),
    "grade.slip.quotient_rule.sign": (
        "In the quotient rule for {where}, the numerator is f′g − fg′, in that order."
    ),
    "grade.slip.quotient_rule.plus": (
        "In the quotient rule for {where}, the numerator is f′g − fg′, with a minus."
    ),
    "grade.slip.quotient_rule.denominator_not_squared": (
        "In the quotient rule for {where}, the denominator is squared: ({part})²."
    ),
    "grade.slip.quotient_rule.quotient_of_derivatives": (
        "The derivative of the quotient {where} is not the quotient of the derivatives: "
        "(f/g)′ = (f′g − fg′)/g²."
    ),
    "grade.slip.not_held_constant": (
        "{part} was not held constant: in a partial derivative by {x}, {part} is a constant."
    ),
    "grade.slip.not_held_constant.everywhere": (
        "The other variables were not held constant: in a partial derivative by {x} they are "
        "constants."
    ),
    "grade.slip.constant_derivative.one": (
        "The constant {part} was differentiated to 1; the derivative of a constant is 0."
    ),
    "grade.slip.constant_derivative.itself": (
        "The constant {part} was kept; the derivative of a constant is 0."
    ),
    "grade.slip.everywhere": "{sentence} (at every place it applies)",
    "grade.slip.arithmetic": "An arithmetic slip: the term {where} is written as {part}.",
    "grade.slip.arithmetic.extra": "An arithmetic slip: the term {part} should not be there.",
    "grade.slip.arithmetic.missing": "An arithmetic slip: the term {where} is missing.",
    "grade.slip.wrong_point": "These are the values at {point}, not at the point asked for.",
    "grade.slip.missing_factor": (
        "Every entry is {factor} times the right one: a factor is missing or extra (the 2 of a "
        "square's derivative, or the 1/m of a mean)."
    ),
    "grade.slip.swapped": "The values are right but belong to the other variables: swapped.",
    "grade.slip.not_normalized": (
        "{value} is the gradient times the direction as given; divide by the direction's "
        "length first (the answer is {right})."
    ),
    # -- a variant's student sheet (tutor variants): each task as a question -----------------
    "sheet.question": "Question",
    "sheet.partials": "Find each partial derivative of {f}.",
    "sheet.gradient": "Find the gradient of {f}.",
    "sheet.gradient.at": "Find the gradient of {f} and its value at {at}.",
    "sheet.directional_derivative.direction": (
        "Find the rate of change of {f} at {at} in the direction {direction}, and the "
        "direction in which {f} grows fastest there."
    ),
    "sheet.directional_derivative.angle": (
        "Find the rate of change of {f} at {at} in the direction at angle {angle}."
    ),
    "sheet.directional_derivative": "Find the rate of change of {f} at {at}.",
    "sheet.hessian": "Find the Hessian of {f}.",
    "sheet.hessian.at": "Find the Hessian of {f} and its value at {at}.",
    "sheet.taylor": "Expand {f} around {at} to order {order}.",
    "sheet.convexity": "Is {f} convex? Say why.",
    "sheet.stationary_points": "Find every stationary point of {f} and classify it.",
    "sheet.normal_equation": "Fit the model by least squares: solve the normal equations.",
    "sheet.gradient_descent": (
        "Run gradient descent on {f} from {start} with learning rate {lr}: give the first "
        "iterates, and where it goes."
    ),
    "sheet.backprop": "Draw the computational graph of {f} and backpropagate at {at}.",
    # -- a graded report, as text ---------------------------------------------------------------
    "grade.report.title": "{student}: {score} of {max}",
    "grade.report.readings": "Note: {readings}",
    "grade.verdict.correct": "correct",
    "grade.verdict.unsimplified": "unsimplified",
    "grade.verdict.incorrect": "incorrect",
    "grade.verdict.undecided": "undecided",
    "grade.verdict.unreadable": "unreadable",
    "grade.verdict.missing": "missing",
    # -- the pictures' own labels ----------------------------------------------------------
    "plot.minimum": "minimum",
    "plot.iteration": "iteration",
    "plot.tangent": "tangent",
    "plot.gradient": "∇ at the point",
    "plot.data": "data",
}
