#pragma once

#include "money.hpp"
#include "regionsim/scenario.hpp"

namespace regionsim {

// Spending of a jurisdiction outside investment promotion, out of the tax attributed to it.
Money other_spending(const GovernmentParams& p, Money tax_attributed);

}  // namespace regionsim
