// Running to a file: the file is complete or absent, never silently overwritten, and its datasets
// are byte-identical for 1, 2 and 4 threads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "h5_read.hpp"
#include "regionsim/run.hpp"
#include "regionsim/scenario_loader.hpp"
#include "test_support.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

using testing::dataset_bytes;
using testing::temp_dir;

TEST(RunToFile, DatasetsAreByteIdenticalAcrossThreadCounts) {
  const fs::path dir = temp_dir("threads");
  const Scenario scenario = testing::small_baseline({"run.scale=0.04", "run.steps=12"});
  std::map<std::string, std::vector<char>> reference;
  for (int threads : {1, 2, 4}) {
    RunOptions options;
    // Built piecewise: GCC 12 warns falsely (-Wrestrict) on "literal" + std::to_string(...).
    std::string name = std::to_string(threads);
    name += ".h5";
    options.output = (dir / name).string();
    options.threads = threads;
    run_to_file(scenario, options);
    const auto bytes = dataset_bytes(options.output);
    EXPECT_GE(bytes.size(), 20u);
    if (threads == 1)
      reference = bytes;
    else
      EXPECT_TRUE(bytes == reference) << "datasets differ between 1 and " << threads << " threads";
  }
  fs::remove_all(dir);
}

TEST(RunToFile, RefusesToOverwriteAndLeavesTheFileUntouched) {
  const fs::path dir = temp_dir("overwrite");
  const std::string path = (dir / "keep.h5").string();
  std::ofstream(path) << "precious";
  RunOptions options;
  options.output = path;
  const Scenario scenario = testing::small_baseline({"run.steps=2"});
  try {
    run_to_file(scenario, options);
    FAIL() << "an existing file was overwritten";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--overwrite"), std::string::npos);
  }
  std::ifstream in(path);
  std::string content;
  in >> content;
  EXPECT_EQ(content, "precious");
  options.overwrite = true;
  run_to_file(scenario, options);
  EXPECT_GT(fs::file_size(path), 1000u);
  for (const auto& entry : fs::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace regionsim
