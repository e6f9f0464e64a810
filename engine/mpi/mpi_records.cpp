#include "mpi_records.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "step_outputs_fields.hpp"

namespace regionsim::mpi {

namespace {

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

// resize + memcpy rather than insert: GCC 12 warns falsely (-Wstringop-overflow) on the insert.
void append(std::vector<char>& bytes, const void* data, std::size_t size) {
  if (size == 0) return;
  const std::size_t at = bytes.size();
  bytes.resize(at + size);
  std::memcpy(bytes.data() + at, data, size);
}

class Reader {
 public:
  Reader(std::span<const char> bytes, std::size_t& offset) : bytes_(bytes), offset_(offset) {}
  void read(void* data, std::size_t size) {
    if (size > bytes_.size() || offset_ > bytes_.size() - size)
      throw std::runtime_error("MPI message with run records is truncated");
    std::memcpy(data, bytes_.data() + offset_, size);
    offset_ += size;
  }

 private:
  std::span<const char> bytes_;
  std::size_t& offset_;
};

}  // namespace

void pack_months(std::span<const StepOutputs> months, std::vector<char>& bytes) {
  const std::uint64_t count = months.size();
  append(bytes, &count, sizeof count);
  for (const StepOutputs& month : months)
    visit_step_outputs(month, [&](const auto& field) {
      using T = std::decay_t<decltype(field)>;
      if constexpr (IsVector<T>::value) {
        const std::uint64_t n = field.size();
        append(bytes, &n, sizeof n);
        append(bytes, field.data(), n * sizeof(typename T::value_type));
      } else {
        append(bytes, &field, sizeof field);
      }
    });
}

std::vector<StepOutputs> unpack_months(std::span<const char> bytes, std::size_t& offset) {
  Reader reader(bytes, offset);
  std::uint64_t count = 0;
  reader.read(&count, sizeof count);
  if (count > bytes.size()) throw std::runtime_error("MPI message with run records is malformed");
  std::vector<StepOutputs> months(count);
  for (StepOutputs& month : months)
    visit_step_outputs(month, [&](auto& field) {
      using T = std::decay_t<decltype(field)>;
      if constexpr (IsVector<T>::value) {
        std::uint64_t n = 0;
        reader.read(&n, sizeof n);
        if (n > bytes.size()) throw std::runtime_error("MPI message with run records is malformed");
        field.resize(n);
        reader.read(field.data(), n * sizeof(typename T::value_type));
      } else {
        reader.read(&field, sizeof field);
      }
    });
  return months;
}

std::vector<char> receive_bytes(const MPI_Status& status, MPI_Comm comm) {
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  std::vector<char> bytes(static_cast<std::size_t>(count));
  MPI_Recv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm,
           MPI_STATUS_IGNORE);
  return bytes;
}

}  // namespace regionsim::mpi
