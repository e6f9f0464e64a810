// Ownership of HDF5 identifiers. Each kind of hid_t has its own close function, so the kind is
// part of the type: a dataset can never be closed with H5Fclose by mistake. The destructor
// ignores failures (it may run during unwinding); code that must report a failed close calls
// close() and checks the status.
#pragma once

#include <hdf5.h>
#include <hdf5_hl.h>

#include <string>
#include <utility>

namespace regionsim::h5 {

template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) noexcept : id_(id) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  ~Handle() { reset(); }

  hid_t get() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }

  // Closes now; returns the HDF5 status (negative on failure). Closing an empty handle succeeds.
  herr_t close() noexcept {
    herr_t status = 0;
    if (id_ >= 0) status = Close(std::exchange(id_, H5I_INVALID_HID));
    return status;
  }
  void reset() noexcept { static_cast<void>(close()); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using Attribute = Handle<H5Aclose>;
using PropertyList = Handle<H5Pclose>;

// Silences HDF5's automatic printing of its error stack for one scope and restores whatever
// handler was installed before: errors are reported as exceptions instead, and code elsewhere in
// the process keeps its own setting.
class QuietErrors {
 public:
  QuietErrors() noexcept {
    if (H5Eget_auto2(H5E_DEFAULT, &saved_func_, &saved_data_) < 0) {
      saved_func_ = nullptr;
      saved_data_ = nullptr;
    }
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;
  ~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, saved_func_, saved_data_); }

 private:
  H5E_auto2_t saved_func_ = nullptr;
  void* saved_data_ = nullptr;
};

// The current thread's HDF5 error stack on one line, then clears it: the API call that failed and
// the innermost cause, which is where the useful detail is ("errno = 17, error message = 'File
// exists'"); the frames between add length, not information.
inline std::string take_error_stack() {
  struct Frames {
    std::string outer;
    std::string inner;
  } frames;
  const auto visit = [](unsigned n, const H5E_error2_t* err, void* out) -> herr_t {
    auto& found = *static_cast<Frames*>(out);
    std::string frame = err->func_name != nullptr ? err->func_name : "?";
    frame += ": ";
    frame += err->desc != nullptr ? err->desc : "(no description)";
    (n == 0 ? found.outer : found.inner) = std::move(frame);
    return 0;
  };
  std::string text;
  if (H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, visit, &frames) >= 0 && !frames.outer.empty()) {
    text = frames.outer;
    if (!frames.inner.empty()) text += " (" + frames.inner + ")";
  } else {
    text = "unknown HDF5 error";
  }
  for (char& c : text) {
    if (c == '\n') c = ' ';
  }
  H5Eclear2(H5E_DEFAULT);
  return text;
}

}  // namespace regionsim::h5
