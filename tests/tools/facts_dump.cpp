// fleetk8s_facts_dump: runs the fact-gathering script on this machine
// (`sh -c`) and prints parse_facts' result as pretty JSON, for the Ansible
// comparison in tests/compat/facts-compat.sh. Exit 1 when the script cannot
// run or its output does not parse.
//   fleetk8s_facts_dump            gather here, print the facts
//   fleetk8s_facts_dump --script   print the script (to run it elsewhere)
//   fleetk8s_facts_dump --parse    parse the script's output read from stdin
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "fleetk8s/modules/facts.h"

namespace {

// The script's stdout, run by /bin/sh with the script as its -c argument.
bool run_script(const std::string& script, std::string& out) {
  std::string quoted = "'";
  for (char c : script) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  quoted += "'";
  FILE* p = popen(("sh -c " + quoted).c_str(), "r");
  if (!p) return false;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  return pclose(p) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "--script") {
    std::fputs(fleetk8s::modules::facts_script().c_str(), stdout);
    return 0;
  }
  std::string out;
  if (mode == "--parse") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else if (!mode.empty()) {
    std::fprintf(stderr, "usage: fleetk8s_facts_dump [--script | --parse]\n");
    return 2;
  } else if (!run_script(fleetk8s::modules::facts_script(), out)) {
    std::fprintf(stderr, "fleetk8s_facts_dump: the facts script failed\n");
    return 1;
  }
  auto facts = fleetk8s::modules::parse_facts(out);
  if (!facts.ok()) {
    std::fprintf(stderr, "fleetk8s_facts_dump: %s\n", facts.error().message().c_str());
    return 1;
  }
  std::printf("%s\n", fleetk8s::Value(*facts).to_json(2).c_str());
  return 0;
}
