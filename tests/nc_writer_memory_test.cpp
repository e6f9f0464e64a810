// NcWriter::Storage::memory and publish(): the file on disk is always a whole one that plain HDF5
// opens, replaced image by image while the writer goes on (docs/output.md, "Partial files").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "h5_read.hpp"
#include "nc_writer.hpp"

namespace regionsim {
namespace {

namespace fs = std::filesystem;

// A run of monthly values, compressed in one chunk per run like the recorder's series.
NcWriter make_file(const std::string& path) {
  NcWriter nc(path, NcWriter::Storage::memory);
  nc.define_dimension("run", 1);
  nc.define_dimension("time", 0, true);
  nc.define_variable("time", NcType::float64, {"time"});
  nc.set_compression({4, true, 12});
  nc.define_variable("gdp", NcType::float64, {"run", "time"}, {{"units", std::string("1e6 CNY")}});
  return nc;
}

TEST(NcWriterMemory, PublishPutsWholeReadableImagesOnDisk) {
  const fs::path dir = testing::temp_dir("nc_memory");
  const std::string path = (dir / "x.nc").string();
  NcWriter nc = make_file(path);
  EXPECT_FALSE(fs::exists(path)) << "nothing reaches the disk before publish()";
  const std::size_t run[] = {0};
  for (std::size_t t = 0; t < 3; ++t) {
    nc.write_unlimited_coordinate(t, static_cast<double>(t));
    const double value = 1.5 * static_cast<double>(t);
    nc.write_record(VarId{1}, run, t, std::span<const double>(&value, 1));
  }
  nc.set_root_attribute("complete", std::string("false"));
  nc.publish();
  EXPECT_EQ(testing::read_dataset<double>(path, "gdp"), (std::vector<double>{0, 1.5, 3}));
  EXPECT_EQ(testing::read_text_attribute(path, "/", "complete"), "false");

  for (std::size_t t = 3; t < 5; ++t) {
    nc.write_unlimited_coordinate(t, static_cast<double>(t));
    const double value = 1.5 * static_cast<double>(t);
    nc.write_record(VarId{1}, run, t, std::span<const double>(&value, 1));
  }
  nc.set_root_attribute("complete", std::string("true"));
  nc.publish();  // replaces the earlier image
  nc.close();
  EXPECT_EQ(testing::read_dataset<double>(path, "gdp"), (std::vector<double>{0, 1.5, 3, 4.5, 6}));
  EXPECT_EQ(testing::read_text_attribute(path, "/", "complete"), "true");
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  fs::remove_all(dir);
}

TEST(NcWriterMemory, RefusesAnExistingFileAndReportsWriteFailures) {
  const fs::path dir = testing::temp_dir("nc_memory_refuse");
  const std::string taken = (dir / "taken.nc").string();
  { std::ofstream(taken) << "someone else's"; }
  EXPECT_THROW(NcWriter(taken, NcWriter::Storage::memory), NcError);

  const std::string nowhere = (dir / "missing" / "x.nc").string();
  NcWriter nc = make_file(nowhere);
  try {
    nc.publish();
    ADD_FAILURE() << "published into a missing directory";
  } catch (const NcError& e) {
    EXPECT_NE(std::string(e.what()).find("No such file or directory"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(NcWriter((dir / "disk.nc").string()).publish(), std::logic_error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace regionsim
