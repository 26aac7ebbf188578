#include "keywords.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace fleetk8s::sshconfig {
namespace {

struct Named {
  std::string_view name;
  Keyword keyword;
};

constexpr std::array kHonoured{
    Named{"host", Keyword::kHost},
    Named{"match", Keyword::kMatch},
    Named{"include", Keyword::kInclude},
    Named{"ignoreunknown", Keyword::kIgnoreUnknown},
    Named{"hostname", Keyword::kHostName},
    Named{"user", Keyword::kUser},
    Named{"port", Keyword::kPort},
    Named{"identityfile", Keyword::kIdentityFile},
    Named{"identityfile2", Keyword::kIdentityFile},  // obsolete alias
    Named{"identitiesonly", Keyword::kIdentitiesOnly},
    Named{"userknownhostsfile", Keyword::kUserKnownHostsFile},
    Named{"stricthostkeychecking", Keyword::kStrictHostKeyChecking},
    Named{"proxyjump", Keyword::kProxyJump},
    Named{"proxycommand", Keyword::kProxyCommand},
    Named{"connecttimeout", Keyword::kConnectTimeout},
    Named{"hostkeyalias", Keyword::kHostKeyAlias},
};

// Every other keyword of OpenSSH's readconf.c (9.2 as Debian 12 builds it,
// GSSAPI key exchange and keepalive patches included, and the deprecated
// and unsupported ones it still recognises), plus the few that later
// releases added, so that a config written for a newer ssh still loads.
// Checked against `ssh -G` by hand: each of these is accepted there.
constexpr std::string_view kIgnored[] = {
    // deprecated or unsupported, still recognised (ssh warns, goes on)
    "afstokenpassing", "cipher", "compressionlevel", "fallbacktorsh", "globalknownhostsfile2",
    "kerberosauthentication", "kerberostgtpassing", "protocol", "rhostsauthentication",
    "rhostsrsaauthentication", "rsaauthentication", "useprivilegedport", "userknownhostsfile2", "useroaming",
    "usersh",
    // GSSAPI (Debian's build has the key exchange patch)
    "gssapiauthentication", "gssapiclientidentity", "gssapidelegatecredentials", "gssapikeyexchange",
    "gssapikexalgorithms", "gssapirenewalforcesrekey", "gssapiserveridentity", "gssapitrustdns",
    // smart cards and security keys
    "pkcs11provider", "securitykeyprovider", "smartcarddevice",
    // forwarding
    "clearallforwardings", "dynamicforward", "exitonforwardfailure", "forwardagent", "forwardx11",
    "forwardx11timeout", "forwardx11trusted", "gatewayports", "localforward", "permitremoteopen",
    "remoteforward", "streamlocalbindmask", "streamlocalbindunlink", "tunnel", "tunneldevice", "xauthlocation",
    // authentication
    "addkeystoagent", "certificatefile", "challengeresponseauthentication", "dsaauthentication",
    "hostbasedacceptedalgorithms", "hostbasedauthentication", "hostbasedkeytypes", "identityagent",
    "kbdinteractiveauthentication", "kbdinteractivedevices", "numberofpasswordprompts",
    "passwordauthentication", "preferredauthentications", "pubkeyacceptedalgorithms",
    "pubkeyacceptedkeytypes", "pubkeyauthentication", "requiredrsasize", "skeyauthentication",
    "tisauthentication", "enablesshkeysign",
    // host keys
    "checkhostip", "fingerprinthash", "globalknownhostsfile", "hashknownhosts", "hostkeyalgorithms",
    "knownhostscommand", "nohostauthenticationforlocalhost", "revokedhostkeys", "updatehostkeys",
    "verifyhostkeydns", "visualhostkey", "casignaturealgorithms",
    // crypto and transport
    "ciphers", "compression", "kexalgorithms", "macs", "rekeylimit", "ipqos",
    // connection
    "addressfamily", "batchmode", "bindaddress", "bindinterface", "connectionattempts", "keepalive",
    "protocolkeepalives", "serveralivecountmax", "serveraliveinterval", "tcpkeepalive", "proxyusefdpass",
    "canonicaldomains", "canonicalizefallbacklocal", "canonicalizehostname", "canonicalizemaxdots",
    "canonicalizepermittedcnames",
    // multiplexing
    "controlmaster", "controlpath", "controlpersist",
    // session
    "enableescapecommandline", "escapechar", "forkafterauthentication", "localcommand",
    "permitlocalcommand", "remotecommand", "requesttty", "sendenv", "sessiontype", "setenv", "stdinnull",
    // logging
    "loglevel", "logverbose", "syslogfacility",
    // Debian's patches
    "setuptimeout", "useblacklistedkeys",
    // added after 9.2 (9.4 tag, 9.5 obscurekeystroketiming, 9.7
    // channeltimeout, 10.0 refuseconnection, 10.1 warnweakcrypto)
    "channeltimeout", "obscurekeystroketiming", "refuseconnection", "tag", "warnweakcrypto",
};

}  // namespace

Keyword keyword_for(std::string_view name) {
  for (const auto& k : kHonoured)
    if (k.name == name) return k.keyword;
  if (std::find(std::begin(kIgnored), std::end(kIgnored), name) != std::end(kIgnored)) return Keyword::kIgnored;
  return Keyword::kUnknown;
}

}  // namespace fleetk8s::sshconfig
