#include <catch2/catch.hpp>

#include "fleetk8s/schedule/scheduled_run.h"

using fleetk8s::schedule::absolute_path;
using fleetk8s::schedule::looks_like_secret;
using fleetk8s::schedule::RunRequest;
using fleetk8s::schedule::scheduled_command;
using Args = std::vector<std::string>;

namespace {

RunRequest request() {
  RunRequest r;
  r.fleetk8s = "/usr/local/bin/fleetk8s";
  r.inventory = "inv/prod.ini";
  r.cwd = "/home/alice/k8s";
  r.wait_lock = "10m";
  return r;
}

}  // namespace

TEST_CASE("the scheduled run is up on the absolute inventory, waiting for the lock") {
  auto argv = scheduled_command(request());
  REQUIRE(argv);
  CHECK(*argv == Args{"/usr/local/bin/fleetk8s", "up", "/home/alice/k8s/inv/prod.ini", "--wait-lock", "10m"});
}

TEST_CASE("a check-only run is check, which takes no lock") {
  auto r = request();
  r.check_only = true;
  auto argv = scheduled_command(r);
  REQUIRE(argv);
  CHECK(*argv == Args{"/usr/local/bin/fleetk8s", "check", "/home/alice/k8s/inv/prod.ini"});
}

TEST_CASE("a backup run is backup with its folder made absolute; it takes no run lock") {
  auto r = request();
  r.backup = true;
  r.options.push_back({"--out", "snaps", true, true});
  r.options.push_back({"--keep", "7", true, false});
  auto argv = scheduled_command(r);
  REQUIRE(argv);
  CHECK(*argv == Args{"/usr/local/bin/fleetk8s", "backup", "/home/alice/k8s/inv/prod.ini", "--out", "/home/alice/k8s/snaps",
                      "--keep", "7"});
}

TEST_CASE("options pass through, paths become absolute, -e @FILE too") {
  auto r = request();
  r.wait_lock.clear();
  r.extra_vars = {{"@vars/prod.yml", {"ignored_password"}}, {"kubernetes_version=1.33 os_update=true",
                                                              {"kubernetes_version", "os_update"}}};
  r.options = {{"--limit", "workers", true, false},
               {"--become-password-file", "../secrets/sudo", true, true},
               {"--private-key", "/keys/deploy", true, true},
               {"--become", "", false, false}};
  auto argv = scheduled_command(r);
  REQUIRE(argv);
  CHECK(*argv == Args{"/usr/local/bin/fleetk8s", "up", "/home/alice/k8s/inv/prod.ini", "-e",
                      "@/home/alice/k8s/vars/prod.yml", "-e", "kubernetes_version=1.33 os_update=true", "--limit",
                      "workers", "--become-password-file", "/home/alice/secrets/sudo", "--private-key", "/keys/deploy",
                      "--become"});
}

TEST_CASE("secrets on the command line are refused, files of secrets are not") {
  auto r = request();
  r.extra_vars = {{"ansible_become_password=hunter2", {"ansible_become_password"}}};
  auto argv = scheduled_command(r);
  REQUIRE_FALSE(argv);
  CHECK_THAT(argv.error().message(), Catch::StartsWith("-e ansible_become_password=...: a scheduled run's command line "
                                                       "is written into a unit file"));
  CHECK_THAT(argv.error().message(), !Catch::Contains("hunter2"));

  for (const char* name : {"ansible_password", "ansible_ssh_pass", "vault_secret", "join_token", "certificate_key",
                           "api_key", "PASSWORD"})
    CHECK(looks_like_secret(name));
  for (const char* name : {"ansible_ssh_private_key_file", "password_file", "token_path", "kubernetes_version",
                           "cluster_name", "keyring_dir"})
    CHECK_FALSE(looks_like_secret(name));
}

TEST_CASE("absolute paths are normalised lexically") {
  CHECK(absolute_path("a/./b/../c.ini", "/srv") == "/srv/a/c.ini");
  CHECK(absolute_path("/etc/k8s/", "/srv") == "/etc/k8s");
  CHECK(absolute_path("dir with space/inv.ini", "/srv") == "/srv/dir with space/inv.ini");
}
