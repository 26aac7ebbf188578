// The fleetk8s(1) manual page, rendered from the command line's own
// definition (cli_reference.h) at build time (cmake/Packaging.cmake).
#pragma once

#include <string>

#include "cli_reference.h"

namespace fleetk8s::cli {

// man(7) source: NAME, SYNOPSIS, DESCRIPTION, one subsection per command
// with its options and exit status, FILES (the playbook lookup),
// ENVIRONMENT, EXIT STATUS. `version` goes in the title line; no date, so
// the page is the same in every build of the same source.
std::string man_page(const CommandRef& root, const std::string& version);

}  // namespace fleetk8s::cli
