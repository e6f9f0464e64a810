// The byte form of the model state in a checkpoint (checkpoint.hpp): StateWriter appends values,
// StateReader reads them back in the same order. Numbers are copied as their bytes (a checkpoint
// is read by the same engine version on the same platform, so no byte-order conversion), strings
// and vectors with a 64-bit count first, Eigen tables with rows and columns first.
//
// Design decisions
// - One list of members per struct, used for writing and reading alike: `archive(a, x)` below,
//   defined next to the other structs of its part (checkpoint_agents.cpp, checkpoint_region.cpp,
//   checkpoint_government.cpp, checkpoint_outputs.cpp, checkpoint_state.cpp). Each list sits
//   under a static_assert on the struct's size, so a member added later fails the build until it
//   is listed (the trick of engine/mpi/mpi_records.cpp).
// - The reader never trusts a count: every count is checked against the bytes left before
//   anything is allocated, so a corrupted or hostile file cannot make it allocate without bound
//   (tests/fuzz/checkpoint_fuzz.cpp). It throws CheckpointFormatError, which the file reader
//   turns into a message naming the file.
#pragma once

#include <Eigen/Dense>

#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace regionsim {

class StateWriter;
class StateReader;

// The parts of the state with their own member list; each pair is defined in the part's file.
// (A type in a parameter declaration cannot be parenthesised: hence the NOLINT.)
// NOLINTBEGIN(bugprone-macro-parentheses)
#define REGIONSIM_STATE_PART(Type)                 \
  struct Type;                                     \
  void archive(StateWriter& a, const Type& value); \
  void archive(StateReader& a, Type& value);
REGIONSIM_STATE_PART(TalentStore)
REGIONSIM_STATE_PART(FirmStore)
REGIONSIM_STATE_PART(InstituteStore)
REGIONSIM_STATE_PART(NextIds)
REGIONSIM_STATE_PART(RegionTables)
REGIONSIM_STATE_PART(Calibration)
REGIONSIM_STATE_PART(ZoneFields)
REGIONSIM_STATE_PART(FirmSizeDistribution)
REGIONSIM_STATE_PART(Jurisdictions)
REGIONSIM_STATE_PART(Promotion)
REGIONSIM_STATE_PART(PackagesInForce)
REGIONSIM_STATE_PART(Contract)
REGIONSIM_STATE_PART(OfferPackage)
REGIONSIM_STATE_PART(StepOutputs)
REGIONSIM_STATE_PART(ModelState)
#undef REGIONSIM_STATE_PART

// Defines the two archive() overloads of `Type` through `visit(a, value)`, a template over the
// archive and the (const or not) value declared just before.
#define REGIONSIM_ARCHIVE_BY_VISIT(Type)            \
  void archive(StateWriter& a, const Type& value) { \
    visit(a, value);                                \
  }                                                 \
  void archive(StateReader& a, Type& value) {       \
    visit(a, value);                                \
  }

// NOLINTEND(bugprone-macro-parentheses)

// `T` is `Part` or const `Part`: the constraint on a part's visit(a, value) template.
template <class T, class Part>
concept StatePart = std::is_same_v<std::remove_const_t<T>, Part>;

// A checkpoint payload that does not decode: truncated, or counts that do not fit.
class CheckpointFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
template <class T>
struct IsVector : std::false_type {};
template <class T, class A>
struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T>
struct IsStdArray : std::false_type {};
template <class T, std::size_t N>
struct IsStdArray<std::array<T, N>> : std::true_type {};
template <class T>
struct IsEigen : std::false_type {};
template <class S, int R, int C, int O, int MR, int MC>
struct IsEigen<Eigen::Matrix<S, R, C, O, MR, MC>> : std::true_type {};
// Copied as their bytes: numbers (bool apart: only 0 and 1 are valid) and enums.
template <class T>
inline constexpr bool kRaw =
    (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) || std::is_enum_v<T>;
// Classes that list their private members themselves (Grid, InstrumentTable).
template <class T>
concept HasArchiveMembers = requires(T& t, StateReader& a) {
  T::archive_members(a, t);
};
}  // namespace detail

class StateWriter {
 public:
  template <class T>
  void operator()(const T& value) {
    using detail::kRaw;
    if constexpr (std::is_same_v<T, bool>) {
      const std::uint8_t b = value ? 1 : 0;
      bytes(&b, 1);
    } else if constexpr (kRaw<T>) {
      bytes(&value, sizeof value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      count(value.size());
      bytes(value.data(), value.size());
    } else if constexpr (detail::IsVector<T>::value || detail::IsStdArray<T>::value) {
      using E = typename T::value_type;
      if constexpr (detail::IsVector<T>::value) count(value.size());
      if constexpr (kRaw<E>) {
        bytes(value.data(), value.size() * sizeof(E));
      } else {
        for (const E& e : value)
          (*this)(e);
      }
    } else if constexpr (detail::IsEigen<T>::value) {
      count(static_cast<std::size_t>(value.rows()));
      count(static_cast<std::size_t>(value.cols()));
      bytes(value.data(), static_cast<std::size_t>(value.size()) * sizeof(typename T::Scalar));
    } else if constexpr (detail::HasArchiveMembers<T>) {
      T::archive_members(*this, value);
    } else {
      archive(*this, value);
    }
  }
  void require(bool /*holds*/, const char* /*what*/) {}  // only a reader checks

  const std::vector<char>& data() const { return data_; }
  std::vector<char>& data() { return data_; }

 private:
  void count(std::size_t n) {
    const auto n64 = static_cast<std::uint64_t>(n);
    bytes(&n64, sizeof n64);
  }
  // resize + memcpy rather than insert: GCC 12 warns falsely (-Wstringop-overflow) on the insert.
  void bytes(const void* from, std::size_t size) {
    if (size == 0) return;
    const std::size_t at = data_.size();
    data_.resize(at + size);
    std::memcpy(data_.data() + at, from, size);
  }
  std::vector<char> data_;
};

class StateReader {
 public:
  explicit StateReader(std::span<const char> data) : data_(data) {}

  template <class T>
  void operator()(T& value) {
    using detail::kRaw;
    if constexpr (std::is_same_v<T, bool>) {
      std::uint8_t b = 0;
      bytes(&b, 1);
      require(b <= 1, "a flag is neither 0 nor 1");
      value = b != 0;
    } else if constexpr (kRaw<T>) {
      bytes(&value, sizeof value);
    } else if constexpr (std::is_same_v<T, std::string>) {
      value.resize(count(1));
      bytes(value.data(), value.size());
    } else if constexpr (detail::IsVector<T>::value) {
      using E = typename T::value_type;
      // Every element takes at least one byte: a count beyond the bytes left is corrupt.
      value.resize(count(kRaw<E> ? sizeof(E) : 1));
      read_elements(value);
    } else if constexpr (detail::IsStdArray<T>::value) {
      read_elements(value);
    } else if constexpr (detail::IsEigen<T>::value) {
      const std::size_t rows = count(0), cols = count(0);
      require(rows <= kDynamic(T::RowsAtCompileTime, rows) &&
                  cols <= kDynamic(T::ColsAtCompileTime, cols),
              "a table's shape does not fit its type");
      require(cols == 0 || rows <= left() / sizeof(typename T::Scalar) / cols,
              "a table is larger than the bytes left");
      value.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
      bytes(value.data(), rows * cols * sizeof(typename T::Scalar));
    } else if constexpr (detail::HasArchiveMembers<T>) {
      T::archive_members(*this, value);
    } else {
      archive(*this, value);
    }
  }
  void require(bool holds, const char* what) {
    if (!holds) throw CheckpointFormatError(what);
  }
  std::size_t left() const { return data_.size() - offset_; }

 private:
  static std::size_t kDynamic(int compile_time, std::size_t read) {
    return compile_time == Eigen::Dynamic ? read : static_cast<std::size_t>(compile_time);
  }
  template <class C>
  void read_elements(C& value) {
    using E = typename C::value_type;
    if constexpr (detail::kRaw<E>) {
      bytes(value.data(), value.size() * sizeof(E));
    } else {
      for (E& e : value)
        (*this)(e);
    }
  }
  // A count of elements of at least `element_bytes` each (0: not checked here).
  std::size_t count(std::size_t element_bytes) {
    std::uint64_t n = 0;
    bytes(&n, sizeof n);
    require(element_bytes == 0 || n <= left() / element_bytes, "a count exceeds the bytes left");
    return static_cast<std::size_t>(n);
  }
  void bytes(void* to, std::size_t size) {
    require(size <= left(), "the payload ends early");
    if (size == 0) return;
    std::memcpy(to, data_.data() + offset_, size);
    offset_ += size;
  }
  std::span<const char> data_;
  std::size_t offset_ = 0;
};

}  // namespace regionsim
