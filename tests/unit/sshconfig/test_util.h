// Helpers of the ssh_config unit tests: parse text or fail the test, and
// scratch directories for Include tests.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "fleetk8s/sshconfig/ssh_config.h"

namespace fleetk8s::sshconfig::test {

inline SshConfig parse_ok(const std::string& text, const std::string& include_dir = "/nonexistent/.ssh") {
  auto c = SshConfig::parse(text, "config", include_dir);
  if (!c) FAIL(c.error().message());
  return *c;
}

// The error message of parsing `text` (the test fails if it parses).
inline std::string parse_error(const std::string& text, const std::string& include_dir = "/nonexistent/.ssh") {
  auto c = SshConfig::parse(text, "config", include_dir);
  if (c) FAIL("parsed, expected an error:\n" << text);
  return c.error().message();
}

// A fresh directory under $TMPDIR, removed with the object.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "sshconfig-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) FAIL("mkdtemp failed");
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `text` to `name` (subdirectories created) and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace fleetk8s::sshconfig::test
