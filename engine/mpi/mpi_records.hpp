// A finished run's monthly records as bytes, so a rank can send them to the rank that writes the
// file. Exact: every field of every StepOutputs, integers and doubles copied bit for bit, so the
// file written from unpacked records is the one the records themselves give.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstring>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "regionsim/step_outputs.hpp"

namespace regionsim::mpi {

// Appends `months` (with their count) to `bytes`.
void pack_months(std::span<const StepOutputs> months, std::vector<char>& bytes);

// Reads months packed by pack_months from `bytes` at `offset`, which it advances. Throws
// std::runtime_error on a truncated or malformed message.
std::vector<StepOutputs> unpack_months(std::span<const char> bytes, std::size_t& offset);

// Appends the bytes of `value` to a message. (resize + memcpy rather than insert: GCC 12 warns
// falsely, -Wstringop-overflow, on the insert.)
template <class T>
void append_value(std::vector<char>& bytes, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  const std::size_t at = bytes.size();
  bytes.resize(at + sizeof value);
  std::memcpy(bytes.data() + at, &value, sizeof value);
}

// Reads a value appended by append_value at `offset`, which it advances; std::runtime_error if
// the message ends first.
template <class T>
T read_value(std::span<const char> bytes, std::size_t& offset) {
  static_assert(std::is_trivially_copyable_v<T>);
  T value{};
  if (offset > bytes.size() || bytes.size() - offset < sizeof value)
    throw std::runtime_error("truncated MPI message");
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  offset += sizeof value;
  return value;
}

// Receives, whole, the message of bytes that `status` (from MPI_Probe on `comm`) announced.
std::vector<char> receive_bytes(const MPI_Status& status, MPI_Comm comm = MPI_COMM_WORLD);

}  // namespace regionsim::mpi
