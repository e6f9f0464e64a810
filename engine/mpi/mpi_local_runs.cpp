#include "mpi_local_runs.hpp"

#include <csignal>
#include <stdexcept>

namespace regionsim::mpi {

LocalRuns::LocalRuns(const Experiment& plan, const RunOptions& options)
    : plan_(plan), options_(options) {
  // The distributed job is stopped by aborting it; this flag only ends the local runs early when
  // the job fails elsewhere. No progress line: it would show one rank's share.
  options_.stop = &stop_;
  options_.progress = false;
  thread_ = std::thread([this] { simulate(); });
}

LocalRuns::~LocalRuns() {
  stop_.store(SIGTERM);
  give(std::nullopt);
  thread_.join();
}

void LocalRuns::simulate() {
  RunHooks hooks;
  hooks.next_root = [this]() -> std::optional<std::size_t> {
    std::unique_lock lock(mutex_);
    ++waiting_;
    event_.notify_one();
    work_.wait(lock, [&] { return !queue_.empty() || no_more_; });
    --waiting_;
    if (queue_.empty()) return std::nullopt;
    const std::size_t root = queue_.front();
    queue_.pop_front();
    return root;
  };
  hooks.failed = [this](std::size_t run, std::int64_t month) {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::pair{run, month};
    // The other runs of this rank stop at the end of their month: the job is ending.
    no_more_ = true;
    stop_.store(SIGTERM);
    work_.notify_all();
  };
  const auto sink = [this](std::size_t run, std::span<const StepOutputs> months) {
    FinishedRun finished{run, std::vector<StepOutputs>(months.begin(), months.end())};
    const std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(finished));
    event_.notify_one();
  };
  try {
    ExperimentResult result = simulate_experiment(plan_, options_, sink, hooks);
    const std::lock_guard lock(mutex_);
    result_ = std::move(result);
  } catch (...) {
    const std::lock_guard lock(mutex_);
    error_ = std::current_exception();
  }
  const std::lock_guard lock(mutex_);
  done_ = true;
  event_.notify_one();
}

std::size_t LocalRuns::wanted() {
  const std::lock_guard lock(mutex_);
  return no_more_ || waiting_ <= queue_.size() ? 0 : waiting_ - queue_.size();
}

void LocalRuns::give(std::optional<std::size_t> root) {
  const std::lock_guard lock(mutex_);
  if (root)
    queue_.push_back(*root);
  else
    no_more_ = true;
  work_.notify_all();
}

std::vector<FinishedRun> LocalRuns::take_finished() {
  const std::lock_guard lock(mutex_);
  std::vector<FinishedRun> finished;
  finished.swap(outbox_);
  return finished;
}

bool LocalRuns::done() {
  const std::lock_guard lock(mutex_);
  return done_;
}

bool LocalRuns::failed() {
  const std::lock_guard lock(mutex_);
  return done_ && error_ != nullptr;
}

std::string LocalRuns::failure_message(int rank) {
  std::string what = "unknown error";
  std::optional<std::pair<std::size_t, std::int64_t>> failure;
  {
    const std::lock_guard lock(mutex_);
    failure = failure_;
    try {
      if (error_) std::rethrow_exception(error_);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
  }
  std::string message = "rank " + std::to_string(rank) + ": ";
  if (failure) {
    const ExperimentRun& run = plan_.runs.at(failure->first);
    message += "run " + std::to_string(failure->first) + " '" + run_label(plan_, run) +
               "' (replicate " + std::to_string(run.replicate) + ") failed in month " +
               std::to_string(failure->second) + " (0-based time index): ";
  }
  return message + what;
}

std::vector<std::pair<std::size_t, double>> LocalRuns::run_seconds() {
  const std::lock_guard lock(mutex_);
  std::vector<std::pair<std::size_t, double>> seconds;
  for (std::size_t r = 0; r < result_.months_done.size(); ++r)
    if (result_.months_done[r] > 0) seconds.emplace_back(r, result_.run_seconds[r]);
  return seconds;
}

void LocalRuns::wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  event_.wait_for(lock, timeout);
}

}  // namespace regionsim::mpi
