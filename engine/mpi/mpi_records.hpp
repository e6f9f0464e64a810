// A finished run's monthly records as bytes, so a rank can send them to the rank that writes the
// file. Exact: every field of every StepOutputs, integers and doubles copied bit for bit, so the
// file written from unpacked records is the one the records themselves give.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "regionsim/step_outputs.hpp"

namespace regionsim::mpi {

// Appends `months` (with their count) to `bytes`.
void pack_months(std::span<const StepOutputs> months, std::vector<char>& bytes);

// Reads months packed by pack_months from `bytes` at `offset`, which it advances. Throws
// std::runtime_error on a truncated or malformed message.
std::vector<StepOutputs> unpack_months(std::span<const char> bytes, std::size_t& offset);

}  // namespace regionsim::mpi
