// The engine's limits (regionsim/limits.hpp) hold at their boundary: the largest region the
// loader accepts runs, one entity more is refused as bad input (exit code 2 at the command line),
// never a crash inside a run.
#include "regionsim/limits.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "h5_read.hpp"
#include "regionsim/scenario_loader.hpp"
#include "regionsim/simulation.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::input_error;

struct Counts {
  std::size_t zones = 2, sectors = 1, skills = 1, jurisdictions = 1;
};

std::vector<std::string> names(char prefix, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(prefix + std::to_string(i));
  return out;
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ", \"" : "\"") + items[i] + "\"";
  return out + "]";
}

std::string exact(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", x);
  return buffer;
}

// A complete, valid scenario with the given counts at a tiny size: a few firms per zone spread
// over every sector, every skill equally common, zones owned round-robin by the jurisdictions,
// and every lever in force from month 0 so that each index reaches every phase. The last zone is
// the core and the last skill does research, so the largest index plays a role too.
std::string scenario_text(const Counts& n, std::size_t firms_per_zone) {
  const auto zones = names('z', n.zones), sectors = names('s', n.sectors),
             skills = names('k', n.skills), jurisdictions = names('j', n.jurisdictions);
  std::ostringstream out;
  out << "name = \"limits\"\n\n[run]\nsteps = 3\nscale = 1\n\n[region]\n"
      << "zones = " << list(zones) << "\nsectors = " << list(sectors)
      << "\nskills = " << list(skills) << "\njurisdictions = " << list(jurisdictions)
      << "\ncore_zone = \"" << zones.back() << "\"\nresearch_skill = \"" << skills.back() << "\"\n";
  for (const char* lever : {"tax_sharing", "statistics_sharing", "joint_promotion", "assessment",
                            "core_traction", "park_city", "cadence"})
    out << "\n[" << lever << "]\nstart_month = 0\n";
  for (std::size_t z = 0; z < zones.size(); ++z) {
    out << "\n[zone." << zones[z] << "]\nfloor_capacity = " << 20 * firms_per_zone
        << "\nhousing_capacity = " << 20 * firms_per_zone << "\ninitial_firms = " << firms_per_zone
        << "\ninstitutes = " << (z + 1 == zones.size() ? 1 : 0) << "\nspecialisation = { ";
    for (std::size_t s = 0; s < sectors.size(); ++s)
      out << (s ? ", " : "") << sectors[s] << " = 1";
    out << " }\nownership = { " << jurisdictions[z % jurisdictions.size()] << " = 1 }\n";
  }
  for (const std::string& s : sectors)
    out << "\n[sector." << s << "]\nproductivity = 0.04\n";
  for (const std::string& k : skills)
    out << "\n[skill." << k << "]\nshare = " << exact(1.0 / static_cast<double>(skills.size()))
        << "\nbase_wage = 0.01\n";
  for (const std::string& j : jurisdictions)
    out << "\n[jurisdiction." << j << "]\n";
  out << "\n[travel_minutes]\n";
  for (std::size_t a = 0; a + 1 < zones.size(); ++a) {
    out << zones[a] << " = { ";
    for (std::size_t b = a + 1; b < zones.size(); ++b)
      out << (b > a + 1 ? ", " : "") << zones[b] << " = " << 10 + (a + b) % 50;
    out << " }\n";
  }
  return out.str();
}

Scenario load_counts(const Counts& n, std::size_t firms_per_zone = 4) {
  return load_scenario_text(scenario_text(n, firms_per_zone), "limits.toml");
}

// Runs the scenario's three months with every accounting identity checked.
void expect_runs(const Scenario& s) {
  Simulation sim(s, /*check=*/true);
  for (int m = 0; m < 3; ++m)
    sim.step();
  EXPECT_EQ(sim.month(), 3);
  EXPECT_GT(sim.firm_count(), 0u);
}

TEST(Limits, LargestSectorSkillAndJurisdictionCountsRun) {
  {
    SCOPED_TRACE("sectors");
    expect_runs(load_counts({.sectors = kMaxSectors}, 2 * kMaxSectors));
  }
  {
    SCOPED_TRACE("skills");
    expect_runs(load_counts({.skills = kMaxSkills}, 40));
  }
  {
    SCOPED_TRACE("jurisdictions");
    expect_runs(load_counts({.zones = kMaxJurisdictions, .jurisdictions = kMaxJurisdictions}));
  }
}

TEST(Limits, OneMoreIsRefusedWithKeyAndLimit) {
  const std::string limit = std::to_string(kMaxZones);
  EXPECT_EQ(input_error([] { load_counts({.zones = kMaxZones + 1}); }),
            "limits.toml:8:9: region.zones lists 256 zone(s); expected at most " + limit +
                ", the engine's limit");
  EXPECT_NE(input_error([] {
              load_counts({.sectors = kMaxSectors + 1});
            }).find("region.sectors lists 256 sector(s); expected at most 255"),
            std::string::npos);
  EXPECT_NE(input_error([] {
              load_counts({.skills = kMaxSkills + 1});
            }).find("region.skills lists 256 skill(s); expected at most 255"),
            std::string::npos);
  EXPECT_NE(input_error([] {
              load_counts({.jurisdictions = kMaxJurisdictions + 1});
            }).find("region.jurisdictions lists 256 jurisdiction(s); expected at most 255"),
            std::string::npos);
}

TEST(Limits, AScenarioBuiltInCodeIsCheckedToo) {
  Scenario s = load_counts({});
  s.skills.resize(kMaxSkills + 1, s.skills.front());
  EXPECT_THROW(Simulation{s}, std::invalid_argument);
}

// --- At the command line ------------------------------------------------------------------------

struct Outcome {
  int code = -1;
  std::string stderr_text;
};

Outcome run_cli(const std::string& args, const fs::path& dir) {
  const fs::path err = dir / "stderr.txt";
  const int status = std::system(
      (std::string(REGIONSIM_BINARY) + " " + args + " > /dev/null 2> " + err.string()).c_str());
  std::ifstream in(err);
  std::ostringstream text;
  text << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

TEST(Limits, CommandLineRunsTheLargestRegionAndRefusesALargerOne) {
  const fs::path dir = testing::temp_dir("limits_cli");
  const fs::path largest = dir / "largest.toml", larger = dir / "larger.toml";
  std::ofstream(largest) << scenario_text({.zones = kMaxZones}, 2);
  std::ofstream(larger) << scenario_text({.zones = 300}, 2);

  const fs::path out = dir / "largest.h5";
  const Outcome ran = run_cli("run " + largest.string() + " --check -o " + out.string(), dir);
  EXPECT_EQ(ran.code, 0) << ran.stderr_text;
  EXPECT_EQ(testing::read_strings(out.string(), "zone").size(), kMaxZones);

  const std::string refusal = "region.zones lists 300 zone(s); expected at most 255";
  for (const std::string& command :
       {"validate " + larger.string(),
        "run " + larger.string() + " -o " + (dir / "larger.h5").string()}) {
    SCOPED_TRACE(command);
    const Outcome refused = run_cli(command, dir);
    EXPECT_EQ(refused.code, 2) << refused.stderr_text;
    EXPECT_NE(refused.stderr_text.find(larger.string() + ":8:9: " + refusal), std::string::npos)
        << refused.stderr_text;
  }
  EXPECT_FALSE(fs::exists(dir / "larger.h5"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace regionsim
