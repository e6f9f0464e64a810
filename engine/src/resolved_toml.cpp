// The resolved scenario written back as TOML: every key, defaults included, in registry order,
// entities and travel rows in region order. Reading it back gives the same Scenario and the same
// text (a fixed point), so it is the scenario's exact, self-contained provenance.
#include <sstream>

#include "scenario_reader.hpp"
#include "toml_merge.hpp"

namespace regionsim {

std::string ScenarioReader::resolved_toml() const {
  std::ostringstream out;
  // Weight tables and travel rows are printed in region order, which is the order users think in.
  auto inline_table = [this](const toml::table& table, Entity keys) {
    std::string text;
    for (const std::string& name : names(keys)) {
      if (const toml::node* value = table.get(name)) {
        text += (text.empty() ? "{ " : ", ") + name + " = " + format_toml_value(*value);
      }
    }
    return text.empty() ? std::string("{}") : text + " }";
  };
  auto fields = [&](const toml::table& table, std::string_view group) {
    for (const ParamSpec& spec : param_registry()) {
      if (spec.group != group) continue;
      const toml::node* value = table.get(spec.field);
      if (value == nullptr) continue;
      out << spec.field << " = "
          << (spec.kind() == ParamKind::weights ? inline_table(*value->as_table(), spec.keys)
                                                : format_toml_value(*value))
          << '\n';
    }
  };

  for (std::string_view group : param_groups()) {
    const std::string name(group);
    if (group.empty()) {
      fields(doc_, group);
    } else if (const Entity entity = entity_of_group(group); entity != Entity::none) {
      const toml::table& tables = *doc_[group].as_table();
      for (const std::string& entity_name : names(entity)) {
        out << "\n[" << name << '.' << entity_name << "]\n";
        fields(*tables[entity_name].as_table(), group);
      }
    } else if (group == "travel_minutes") {
      out << "\n[" << name << "]\n";
      const toml::table& travel = *doc_[group].as_table();
      for (const std::string& from : names(Entity::zone)) {
        if (const auto* row = travel[from].as_table(); row && !row->empty()) {
          out << from << " = " << inline_table(*row, Entity::zone) << '\n';
        }
      }
    } else {
      out << "\n[" << name << "]\n";
      fields(*doc_[group].as_table(), group);
    }
  }
  return out.str();
}

}  // namespace regionsim
