// Unpredictable names: frame tokens, temporary file names. 128 bits from
// the kernel (getrandom), never a seeded PRNG shared between hosts, so one
// host's output cannot predict or forge another's token.
#pragma once

#include <string>

namespace fleetk8s {

// `bytes` random bytes from getrandom(2) as lower-case hex (2 * bytes
// characters). Aborts if the kernel cannot supply randomness: a guessable
// token is worse than no run.
std::string random_hex(std::size_t bytes = 16);

}  // namespace fleetk8s
