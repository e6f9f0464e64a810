// The search of a calibration: NLopt's derivative-free local optimisers (Nelder-Mead, Subplex,
// BOBYQA) in the unit cube, from several starting points, each restarted from its best point.
//
// Why restarts: the loss of a simulation with common random numbers is piecewise constant (a firm
// more or less changes a count by one), so a simplex can collapse on a flat step far from the
// minimum; a fresh simplex of the initial size around the best point gets it moving again.
// Why a cache: simplex methods revisit points, integer parameters map many points to one value;
// an evaluation is a set of simulations, so a revisit must cost nothing.
#include <tbb/task_arena.h>
#include <nlopt.hpp>

#include <chrono>
#include <exception>
#include <map>

#include "calibration.hpp"

namespace regionsim {

namespace {

using Clock = std::chrono::steady_clock;

nlopt::algorithm algorithm_of(Optimiser optimiser) {
  switch (optimiser) {
    case Optimiser::subplex:
      return nlopt::LN_SBPLX;
    case Optimiser::bobyqa:
      return nlopt::LN_BOBYQA;
    case Optimiser::neldermead:
      break;
  }
  return nlopt::LN_NELDERMEAD;
}

// Deterministic on every platform (std::uniform_real_distribution is not): splitmix64, 53 bits.
class UnitStream {
 public:
  explicit UnitStream(std::uint64_t seed) : state_(seed) {}
  double next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
  }

 private:
  std::uint64_t state_;
};

class Search {
 public:
  Search(const CalibrationPlan& plan, int threads, const FitProgress& progress,
         const CandidateEvaluator& evaluate)
      : plan_(plan), threads_(threads), progress_(progress), evaluate_(evaluate) {}

  FitResult run() {
    const CalibrationSpec& spec = plan_.spec;
    const std::size_t n = spec.parameters.size();
    UnitStream stream(spec.seed ^ 0x63616c6962726174ULL);  // "calibrat": apart from run seeds
    for (int s = 0; s < spec.starts && !stopped(); ++s) {
      start_ = s;
      std::vector<double> x(n);
      for (std::size_t i = 0; i < n; ++i)
        x[i] = s == 0 ? unit_coordinate(spec.parameters[i], plan_.start[i]) : stream.next();
      for (int r = 0; r <= spec.restarts && !stopped(); ++r) {
        local_search(x);
        if (error_) std::rethrow_exception(error_);
        x = best_unit_of_start();
      }
    }
    result_.wall_seconds = seconds();
    result_.threads = threads_ > 0 ? threads_ : tbb::this_task_arena::max_concurrency();
    return std::move(result_);
  }

 private:
  double seconds() const { return std::chrono::duration<double>(Clock::now() - began_).count(); }

  bool stopped() {
    if (static_cast<std::int64_t>(result_.evaluations.size()) >= plan_.spec.max_evaluations)
      return true;
    if (plan_.spec.max_seconds > 0 && seconds() >= plan_.spec.max_seconds) {
      result_.time_limited = true;
      return true;
    }
    return false;
  }

  void local_search(std::vector<double>& x) {
    const CalibrationSpec& spec = plan_.spec;
    const unsigned n = static_cast<unsigned>(x.size());
    nlopt::opt opt(algorithm_of(spec.optimiser), n);
    opt.set_lower_bounds(std::vector<double>(n, 0.0));
    opt.set_upper_bounds(std::vector<double>(n, 1.0));
    opt.set_xtol_abs(spec.x_tolerance);
    // NLopt counts cached revisits too; the budget proper is checked in the objective.
    opt.set_maxeval(static_cast<int>(std::min<std::int64_t>(spec.max_evaluations * 20, 1 << 30)));
    opt.set_initial_step(spec.initial_step);
    opt.set_min_objective([](unsigned dim, const double* u, double*,
                             void* self) { return static_cast<Search*>(self)->objective(dim, u); },
                          this);
    double f = 0;
    try {
      opt.optimize(x, f);
    } catch (const nlopt::forced_stop&) {
      // the budget, or an error kept in error_
    } catch (const nlopt::roundoff_limited&) {
      // converged as far as floating point allows: a normal end for a flat loss
    }
  }

  double objective(unsigned dim, const double* u) {
    if (stopped()) throw nlopt::forced_stop();
    std::vector<double> values(dim);
    for (unsigned i = 0; i < dim; ++i)
      values[i] = from_unit_coordinate(plan_.spec.parameters[i], u[i]);
    // The key is what the runs see: integer keys rounded, reals as written.
    std::vector<std::string> key = candidate_overrides(plan_, values);
    if (const auto it = cache_.find(key); it != cache_.end())
      return result_.evaluations[it->second].loss;
    try {
      Evaluation e = evaluate_ ? evaluate_(values) : evaluate_candidate(plan_, values, threads_);
      e.start = start_;
      result_.evaluations.push_back(std::move(e));
    } catch (...) {
      error_ = std::current_exception();
      throw nlopt::forced_stop();
    }
    const std::size_t index = result_.evaluations.size() - 1;
    cache_.emplace(std::move(key), index);
    if (result_.evaluations[index].loss < result_.evaluations[result_.best].loss)
      result_.best = index;
    if (progress_) progress_(index, result_.evaluations[index], result_.evaluations[result_.best]);
    return result_.evaluations[index].loss;
  }

  std::vector<double> best_unit_of_start() const {
    std::size_t best = result_.evaluations.size();
    for (std::size_t i = 0; i < result_.evaluations.size(); ++i)
      if (result_.evaluations[i].start == start_ &&
          (best == result_.evaluations.size() ||
           result_.evaluations[i].loss < result_.evaluations[best].loss))
        best = i;
    std::vector<double> u;
    for (std::size_t p = 0; p < plan_.spec.parameters.size(); ++p)
      u.push_back(
          best == result_.evaluations.size()
              ? 0.5
              : unit_coordinate(plan_.spec.parameters[p], result_.evaluations[best].parameters[p]));
    return u;
  }

  const CalibrationPlan& plan_;
  int threads_;
  const FitProgress& progress_;
  const CandidateEvaluator& evaluate_;
  FitResult result_;
  std::map<std::vector<std::string>, std::size_t> cache_;
  int start_ = 0;
  std::exception_ptr error_;
  Clock::time_point began_ = Clock::now();
};

}  // namespace

FitResult fit(const CalibrationPlan& plan, int threads, const FitProgress& progress,
              const CandidateEvaluator& evaluate) {
  return Search(plan, threads, progress, evaluate).run();
}

}  // namespace regionsim
