#include "recorder_flush.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace regionsim {

RecorderFlush::RecorderFlush(Recorder& recorder, std::size_t runs, std::int64_t months,
                             std::int64_t every)
    : recorder_(recorder), months_(months), every_(every), done_(runs, 0) {
  // The engine never sets the environment, so reading it races with nothing.
  const char* unthrottled = std::getenv("REGIONSIM_TEST_FLUSH_UNTHROTTLED");  // NOLINT
  throttled_ = unthrottled == nullptr || std::strcmp(unthrottled, "1") != 0;
  if (every_ > 0) snapshot();  // from the start the name shows a readable file
}

void RecorderFlush::snapshot() {
  const Clock::time_point start = Clock::now();
  recorder_.snapshot(done_);
  const Clock::time_point end = Clock::now();
  next_ = end + std::chrono::duration_cast<Clock::duration>((end - start) * kSnapshotSpacing);
}

void RecorderFlush::write_new(std::size_t run, std::span<const StepOutputs> months) {
  const auto from = static_cast<std::size_t>(done_[run]);
  if (months.size() > from) recorder_.write_run(run, months.subspan(from));
  done_[run] = std::max(done_[run], static_cast<std::int64_t>(months.size()));
}

void RecorderFlush::after_month(std::size_t run, std::span<const StepOutputs> months) {
  const auto n = static_cast<std::int64_t>(months.size());
  // The final month is written by run_finished, with the rest.
  if (every_ <= 0 || n % every_ != 0 || n >= months_) return;
  const std::lock_guard lock(mutex_);
  if (throttled_ && Clock::now() < next_) return;  // these months go with a later snapshot
  write_new(run, months);
  snapshot();
}

void RecorderFlush::run_finished(std::size_t run, std::span<const StepOutputs> months) {
  const std::lock_guard lock(mutex_);
  write_new(run, months);
  if (every_ <= 0 ||
      std::all_of(done_.begin(), done_.end(), [&](std::int64_t d) { return d == months_; }))
    return;
  snapshot();
}

}  // namespace regionsim
