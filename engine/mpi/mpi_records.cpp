#include "mpi_records.hpp"

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace regionsim::mpi {

namespace {

// Every field of StepOutputs, in one list used to pack and to unpack. A field added to
// StepOutputs must be added here: the size check below fails the build until it is (it is the
// size on the 64-bit Linux targets the MPI build is for).
static_assert(sizeof(void*) != 8 || sizeof(StepOutputs) == 1288,
              "StepOutputs changed: add the new field to visit() in engine/mpi/mpi_records.cpp "
              "and update this size");

template <class Outputs, class F>
void visit(Outputs& o, F&& f) {
  f(o.month), f(o.zones), f(o.sectors), f(o.skills), f(o.jurisdictions);
  f(o.firms), f(o.employment), f(o.vacancies), f(o.firm_entries), f(o.firm_exits);
  f(o.output), f(o.hte_firms), f(o.firms_by_size), f(o.employment_by_size);
  f(o.talent_employed), f(o.talent_seeking), f(o.talent_arrivals), f(o.talent_departures);
  f(o.wage), f(o.rent), f(o.tax_collected), f(o.subsidies_received);
  f(o.floor_capacity), f(o.floor_occupancy), f(o.floor_supplied);
  f(o.firm_relocations), f(o.talent_relocations);
  f(o.tax_attributed), f(o.gdp_attributed), f(o.subsidies_paid), f(o.budget);
  f(o.amenity_spending), f(o.land_lease_revenue), f(o.score), f(o.subsidy_offer);
  f(o.spinoffs_zs), f(o.innovations), f(o.spinoffs), f(o.institute_researchers), f(o.transfers);
  f(o.offer_settlement), f(o.offer_refund_scale), f(o.offer_rent_discount);
  f(o.relocations_induced), f(o.relocations_other);
  f(o.paper_relocations), f(o.paper_relocations_induced), f(o.registered_elsewhere);
  f(o.promotion_spending), f(o.promotion_spending_within), f(o.contracts_active);
  f(o.decision_converged), f(o.decision_iterations);
  f(o.committee_active), f(o.committee_zone), f(o.committee_spending);
  f(o.amenity), f(o.specialisation_index);
  f(o.zero_sum_relocations), f(o.subsidy_per_net_new_firm), f(o.theil_output);
}

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
    visit(month, [&](const auto& field) {
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
    visit(month, [&](auto& field) {
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

}  // namespace regionsim::mpi
