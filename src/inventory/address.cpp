// A translation of ansible/parsing/utils/addresses.py. std::regex has no
// lookbehind, so the hostname label rule "must not end in - or _" is spelt
// as "one element, or elements ending in a word character or a range".
#include "address.h"

#include <charconv>
#include <regex>

namespace fleetk8s::inventory {
namespace {

const std::string kNumericRange = R"(\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\])";
const std::string kHexRange = R"(\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\])";
const std::string kAlnumRange = R"(\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\])";

const std::regex& bracketed_hostport() {
  static const std::regex re(R"(^\[(.+)\]:([0-9]+)$)");
  return re;
}

const std::regex& hostport() {
  static const std::regex re(R"(^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$)");
  return re;
}

const std::regex& ipv4() {
  static const std::string c = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + kNumericRange + ")";
  static const std::regex re("^(?:" + c + "\\.){3}" + c + "$", std::regex::icase);
  return re;
}

const std::regex& ipv6() {
  static const std::string c = "(?:[0-9a-f]{1,4}|" + kHexRange + ")";
  static const std::string v4 = "(?:" + c + "\\.){3}" + c;
  static const std::regex re(
      "^(?:(?:" + c + ":){7}" + c +                  //
          "|(?:" + c + ":){1,6}:" +                  //
          "|(?:" + c + ":)(?::" + c + "){1,6}" +     //
          "|(?:" + c + ":){2}(?::" + c + "){1,5}" +  //
          "|(?:" + c + ":){3}(?::" + c + "){1,4}" +  //
          "|(?:" + c + ":){4}(?::" + c + "){1,3}" +  //
          "|(?:" + c + ":){5}(?::" + c + "){1,2}" +  //
          "|(?:" + c + ":){6}(?::" + c + ")" +       //
          "|:(?::" + c + "){1,6}" +                  //
          "|" + c + "?::" +                          //
          "|(?:0:){6}" + v4 +                        //
          "|::(?:ffff:)?" + v4 +                     //
          "|(?:0:){5}ffff:" + v4 + ")$",
      std::regex::icase);
  return re;
}

const std::regex& hostname() {
  static const std::string word = "(?:\\w|" + kAlnumRange + ")";
  static const std::string inner = "(?:[\\w-]|" + kAlnumRange + ")";
  static const std::string label = word + "(?:" + inner + "*" + word + ")?";
  static const std::regex re("^" + label + "(?:\\." + label + ")*$", std::regex::icase);
  return re;
}

}  // namespace

std::optional<HostAddress> parse_address(std::string_view text, bool allow_ranges) {
  // No host name is this long (DNS allows 253), and std::regex recurses per
  // character: a longer text is no address, not a stack overflow.
  if (text.size() > 1024) return std::nullopt;
  std::string address(text);
  std::optional<std::int64_t> port;
  for (const std::regex* re : {&bracketed_hostport(), &hostport()}) {
    std::smatch m;
    if (std::regex_match(address, m, *re)) {
      std::string digits = m[2].str();
      std::int64_t value = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
      port = value;
      address = m[1].str();
    }
  }
  bool valid = std::regex_match(address, ipv4()) || std::regex_match(address, ipv6()) ||
               std::regex_match(address, hostname());
  if (!valid) return std::nullopt;
  if (!allow_ranges && address.find('[') != std::string::npos) return std::nullopt;
  return HostAddress{address, port};
}

}  // namespace fleetk8s::inventory
