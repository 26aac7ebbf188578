#include <catch2/catch.hpp>

#include "fleetk8s/ssh/remote_command.h"
#include "fleetk8s/ssh/transport.h"

using namespace fleetk8s;
using namespace fleetk8s::ssh;
using namespace std::chrono_literals;

TEST_CASE("shell_quote survives single quotes") {
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}

TEST_CASE("a plain command is sent as it is") {
  auto w = wrap_command("uname -r", {}, "root");
  CHECK(w.command_line == "uname -r");
  CHECK(w.stdin_data.empty());
  CHECK_FALSE(w.has_time_limit);
}

TEST_CASE("a time limit wraps the command in coreutils timeout") {
  ExecOptions o;
  o.timeout = 2500ms;
  auto w = wrap_command("sleep 9", o, "root");
  CHECK(w.command_line == "timeout -k 2 2.5 sh -c 'sleep 9'");
  CHECK(w.has_time_limit);
}

TEST_CASE("become without a password uses sudo -n") {
  ExecOptions o;
  o.become.enabled = true;
  auto w = wrap_command("id", o, "deploy");
  CHECK(w.command_line == "sudo -n -u 'root' -- sh -c 'id'");
  CHECK_FALSE(w.uses_sudo_password);
}

TEST_CASE("become with a password keeps it off the command line") {
  ExecOptions o;
  o.become.enabled = true;
  o.become.password = "s3cret'pw";
  o.stdin_data = "input";
  auto w = wrap_command("cat", o, "ops");
  CHECK(w.command_line.find("s3cret") == std::string::npos);
  CHECK(w.command_line ==
        "sudo -k -S -p '[fleetk8s-sudo-prompt]' -u 'root' -- sh -c "
        "'printf '\\''%s\\n'\\'' '\\''[fleetk8s-sudo-ok]'\\'' >&2 && exec sh -c \"$1\"' sh 'cat'");
  // Only an answer to sudo's prompt carries the password, never stdin.
  CHECK(w.stdin_data == "input");
  CHECK(w.sudo_password == "s3cret'pw\n");
  CHECK(w.uses_sudo_password);
}

TEST_CASE("become is skipped when already the target user") {
  ExecOptions o;
  o.become.enabled = true;
  CHECK(wrap_command("id", o, "root").command_line == "id");
}

TEST_CASE("sudo's own failures are recognised and its prompt removed") {
  ExecOptions o;
  o.become.enabled = true;
  o.become.password = "pw";
  auto w = wrap_command("id", o, "ops");

  std::string prompted = kSudoPrompt;
  prompted += "warning\n";
  CommandResult ok{"root\n", prompted, 0, "", false, false};
  CHECK(clean_sudo_output(ok, w).empty());
  CHECK(ok.err == "warning\n");

  std::string rejected = kSudoPrompt;
  rejected += "Sorry, try again.\n";
  rejected += kSudoPrompt;
  rejected += "\nsudo: 1 incorrect password attempt\n";
  CommandResult wrong{"", rejected, 1, "", false, false};
  CHECK(clean_sudo_output(wrong, w) == "sudo rejected the become password");

  ExecOptions no_password;
  no_password.become.enabled = true;
  auto nopw = wrap_command("id", no_password, "ops");
  CommandResult needs{"", "sudo: a password is required\n", 1, "", false, false};
  CHECK_THAT(clean_sudo_output(needs, nopw), Catch::Contains("sudo needs a password"));

  CommandResult cmd_failed{"", "sudo: this is the command's own text\n", 3, "", false, false};
  CHECK(clean_sudo_output(cmd_failed, nopw).empty());
}
