// Running code whose recursion depth grows with its input (std::regex's
// matcher recurses about once per character of the text) on a stack sized
// for that input, instead of the caller's fixed one.
#pragma once

#include <cstddef>
#include <functional>

namespace fleetk8s::tmpl::detail {

// Runs `fn` on a new thread with a stack of `bytes` (only the pages used
// are committed) and waits for it; an exception from `fn` is rethrown
// here. False, without running `fn`, when the thread cannot be created.
bool run_on_stack(size_t bytes, const std::function<void()>& fn);

}  // namespace fleetk8s::tmpl::detail
