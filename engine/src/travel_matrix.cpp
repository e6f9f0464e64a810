// The travel-time matrix: each pair of zones given once, in either direction, diagonal 0; a
// later layer (an extending file, a --set) may restate a pair the other way round and wins.
#include <optional>
#include <utility>

#include "scenario_reader.hpp"
#include "toml_merge.hpp"

namespace regionsim {

void ScenarioReader::read_travel() {
  const std::vector<std::string>& zones = names(Entity::zone);
  const std::size_t n = zones.size();
  const ParamSpec& spec = *find_param("travel_minutes", "");
  toml::table& travel = table_at(doc_, "travel_minutes", "travel_minutes");

  struct Given {
    const toml::node* node;
    std::size_t layer;
    double minutes;
  };
  std::vector<std::optional<Given>> given(n * n);
  std::vector<std::pair<toml::table*, std::string>> erase;  // dropped or overridden entries

  for (auto&& [from, row_node] : travel) {
    const std::size_t i = name_index(zones, from.str());
    const std::string row_key = "travel_minutes." + std::string(from.str());
    if (i == n) {
      if (dropped_by_list(row_node, Entity::zone)) {
        erase.emplace_back(&travel, from.str());
        continue;
      }
      fail_unknown_name(from.source(), "travel_minutes", Entity::zone, from.str());
    }
    toml::table* row = row_node.as_table();
    if (row == nullptr) {
      fail(row_node.source(), row_key + " = " + show_value(row_node) +
                                  ": expected a table of zone = minutes, such as { b = 25 }");
    }
    for (auto&& [to, value] : *row) {
      const std::size_t j = name_index(zones, to.str());
      if (j == n) {
        if (dropped_by_list(value, Entity::zone)) {
          erase.emplace_back(row, to.str());
          continue;
        }
        fail_unknown_name(to.source(), row_key, Entity::zone, to.str());
      }
      const std::string key = row_key + "." + std::string(to.str());
      const double minutes = read_number(value, spec, key);
      if (i == j) {
        if (minutes != 0) {
          fail(value.source(),
               key + " = " + show_value(value) + ": a zone is 0 minutes from itself");
        }
        continue;
      }
      given[i * n + j] = Given{&value, layer_of(value), minutes};
    }
  }

  // Each pair may be given in either direction. Given both ways, the values must agree, unless a
  // later layer (an extending file, a --set) changed one of them: then the later one wins.
  std::vector<std::vector<double>> matrix(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      std::optional<Given> forward = given[i * n + j];
      std::optional<Given> backward = given[j * n + i];
      if (!forward && !backward) {
        fail(travel.source(), "no travel time between '" + zones[i] + "' and '" + zones[j] +
                                  "': expected travel_minutes." + zones[i] + "." + zones[j] +
                                  " (or travel_minutes." + zones[j] + "." + zones[i] +
                                  ") in minutes");
      }
      if (forward && backward && forward->minutes != backward->minutes) {
        if (forward->layer == backward->layer) {
          fail(backward->node->source(),
               "travel_minutes." + zones[j] + "." + zones[i] + " = " + show_value(*backward->node) +
                   " contradicts travel_minutes." + zones[i] + "." + zones[j] + " = " +
                   show_value(*forward->node) + " (" + describe_source(forward->node->source()) +
                   "); give each pair once");
        }
        const bool forward_wins = forward->layer > backward->layer;
        const std::size_t from = forward_wins ? j : i;
        const std::size_t to = forward_wins ? i : j;
        erase.emplace_back(travel[zones[from]].as_table(), zones[to]);
        (forward_wins ? backward : forward).reset();
      }
      matrix[i][j] = matrix[j][i] = forward ? forward->minutes : backward->minutes;
    }
  }
  for (auto& [table, key] : erase)
    table->erase(key);
  scenario_.travel_minutes = std::move(matrix);
}

}  // namespace regionsim
