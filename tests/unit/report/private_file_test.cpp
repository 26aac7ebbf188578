// Files only their owner can read: created so, replaced whole, never
// written through a symbolic link.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fleetk8s/report/private_file.h"

using namespace fleetk8s;
using namespace fleetk8s::report;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/fk-private-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0 ? st.st_mode & 07777 : 0;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("a private file is 0600 under umask 022 and replaces an open one whole") {
  const mode_t saved = ::umask(022);
  TempDir tmp;
  const fs::path p = tmp.path / "admin.kubeconfig";
  { std::ofstream(p) << "old, world-readable\n"; }
  ::chmod(p.c_str(), 0644);
  REQUIRE(write_private_file(p.string(), "new\n"));
  CHECK(slurp(p) == "new\n");
  CHECK(mode_of(p) == 0600);
  CHECK(std::distance(fs::directory_iterator(tmp.path), fs::directory_iterator()) == 1);  // no temporary left
  ::umask(saved);
}

TEST_CASE("a symbolic link at a private file's place is refused, its target untouched") {
  TempDir tmp;
  const fs::path target = tmp.path / "elsewhere", link = tmp.path / "report.json";
  { std::ofstream(target) << "keep\n"; }
  fs::create_symlink(target, link);
  auto w = write_private_file(link.string(), "secret\n");
  REQUIRE_FALSE(w);
  CHECK_THAT(w.error().message(), Catch::Contains("symbolic link"));
  CHECK(slurp(target) == "keep\n");
  CHECK(fs::is_symlink(link));
}

TEST_CASE("private directories are 0700 at every level made; appends are 0600 and never follow a link") {
  const mode_t saved = ::umask(022);
  TempDir tmp;
  REQUIRE(make_private_dirs((tmp.path / "a" / "b" / "c").string()));
  for (const char* d : {"a", "a/b", "a/b/c"}) CHECK(mode_of(tmp.path / d) == 0700);
  REQUIRE(make_private_dirs((tmp.path / "a" / "b").string()));  // existing: fine
  std::FILE* f = open_private_append((tmp.path / "a" / "log").string());
  REQUIRE(f);
  std::fputs("x", f);
  std::fclose(f);
  CHECK(mode_of(tmp.path / "a" / "log") == 0600);
  fs::create_symlink(tmp.path / "a" / "log", tmp.path / "a" / "link");
  CHECK(open_private_append((tmp.path / "a" / "link").string()) == nullptr);
  ::umask(saved);
}

TEST_CASE("a private temporary directory is 0700 and new for each call") {
  TempDir t;
  auto a = make_private_temp_dir((t.path / ".snap.part-").string());
  auto b = make_private_temp_dir((t.path / ".snap.part-").string());
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  CHECK(fs::path(*a).filename().string().rfind(".snap.part-", 0) == 0);
  CHECK(mode_of(*a) == 0700);
  auto missing = make_private_temp_dir((t.path / "no" / "x-").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message().find("no/x-XXXXXX") != std::string::npos);
}

TEST_CASE("renaming to a free name never replaces what is there: NAME, then NAME-2, NAME-3") {
  TempDir t;
  const std::string to = (t.path / "20261207T210204Z").string();
  fs::create_directory(to);  // empty: rename(2) alone would replace it
  fs::create_directory(t.path / "a");
  std::ofstream(t.path / "a" / "mine") << "a";
  auto first = rename_to_free_name((t.path / "a").string(), to);
  REQUIRE(first);
  CHECK(*first == to + "-2");
  CHECK(fs::is_empty(to));
  CHECK(slurp(*first + "/mine") == "a");
  fs::create_directory(t.path / "b");
  auto second = rename_to_free_name((t.path / "b").string(), to);
  REQUIRE(second);
  CHECK(*second == to + "-3");
  auto gone = rename_to_free_name((t.path / "b").string(), to);
  REQUIRE_FALSE(gone);
  CHECK(gone.error().message().find("cannot rename " + (t.path / "b").string()) != std::string::npos);
}
