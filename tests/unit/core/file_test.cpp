#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <string>

#include "fleetk8s/core/file.h"

TEST_CASE("file_stamp changes when a file is written again; none for no file", "[core][file]") {
  char tmpl[] = "/tmp/fk-stamp-XXXXXX";
  const int fd = ::mkstemp(tmpl);
  REQUIRE(fd >= 0);
  ::close(fd);
  const std::string path = tmpl;
  CHECK(fleetk8s::file_stamp("") == "");
  const std::string empty = fleetk8s::file_stamp(path);
  CHECK(empty == fleetk8s::file_stamp(path));
  std::ofstream(path) << "more";
  CHECK(fleetk8s::file_stamp(path) != empty);  // (the size differs even within one clock tick)
  ::unlink(tmpl);
  CHECK(fleetk8s::file_stamp(path) == "none");
}
