#include "sandbox.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <unistd.h>

namespace fleetk8s::testing {

std::string sandbox_dir() {
  const char* d = std::getenv("FLEETK8S_SANDBOX");
  if (!d || !*d) FAIL("FLEETK8S_SANDBOX is not set: run these tests through ctest (the fixture starts the fleet)");
  return d;
}

ssh::ConnectOptions sandbox_host(const std::string& name) {
  static auto inv = inventory::Inventory::load(sandbox_dir() + "/inventory.ini");
  REQUIRE(inv.ok());
  auto c = inventory::connection_for(*inv, name);
  REQUIRE(c.ok());
  ssh::ConnectOptions o;
  o.name = c->name;
  o.address = c->address;
  o.port = c->port;
  o.user = c->user;
  o.auth.use_agent = false;
  if (c->private_key_file) o.auth.identity_files = {*c->private_key_file};
  o.known_hosts_file = c->known_hosts_file.value_or(sandbox_dir() + "/known_hosts");
  o.connect_timeout = std::chrono::seconds(10);
  return o;
}

int shell(const std::string& script) {
  int rc = std::system(("bash -c " + ssh::shell_quote(script)).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string tmp_path(const std::string& name) {
  static const std::string dir = [] {
    std::string d = (std::filesystem::temp_directory_path() / ("fleetk8s-ssh-test." + std::to_string(getpid()))).string();
    std::filesystem::create_directories(d);
    std::atexit([] { std::filesystem::remove_all(std::filesystem::temp_directory_path() /
                                                 ("fleetk8s-ssh-test." + std::to_string(getpid()))); });
    return d;
  }();
  return dir + "/" + name;
}

using Exec = boost::asio::any_io_executor;

Result<CommandResult> run_once(ssh::ConnectOptions o, std::string command, ssh::ExecOptions eo) {
  return run_async<Result<CommandResult>>([&](Exec ex) -> ssh::Task<Result<CommandResult>> {
    auto t = ssh::make_ssh_transport(ex);
    auto c = co_await t->connect(o);
    if (!c) co_return c.error();
    auto r = co_await (*c)->exec(command, eo);
    co_await (*c)->close();
    co_return r;
  });
}

Result<void> connect_only(ssh::ConnectOptions o, std::vector<std::string>* notices) {
  return run_async<Result<void>>([&](Exec ex) -> ssh::Task<Result<void>> {
    auto t = ssh::make_ssh_transport(ex, [&](const std::string& h, const std::string& m) {
      if (notices) notices->push_back(h + ": " + m);
    });
    auto c = co_await t->connect(o);
    if (!c) co_return c.error();
    co_await (*c)->close();
    co_return Result<void>{};
  });
}

ScopedAgent::ScopedAgent(const std::string& key_file) : socket_(tmp_path("agent.sock")) {
  REQUIRE(shell("rm -f " + socket_ + "; eval $(ssh-agent -a " + socket_ + " -s) >/dev/null && echo $SSH_AGENT_PID > " +
                socket_ + ".pid && SSH_AUTH_SOCK=" + socket_ + " ssh-add -q " + key_file) == 0);
  if (const char* old = std::getenv("SSH_AUTH_SOCK")) saved_ = old;
  setenv("SSH_AUTH_SOCK", socket_.c_str(), 1);
}

ScopedAgent::~ScopedAgent() {
  if (saved_) setenv("SSH_AUTH_SOCK", saved_->c_str(), 1);
  else unsetenv("SSH_AUTH_SOCK");
  shell("kill $(cat " + socket_ + ".pid); rm -f " + socket_ + " " + socket_ + ".pid");
}

}  // namespace fleetk8s::testing
