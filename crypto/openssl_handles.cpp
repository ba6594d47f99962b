#include "crypto/openssl_handles.h"

#include <openssl/err.h>

namespace ballotbox::crypto {

error openssl_error(std::string code, const std::string& what) {
    std::string message = what;
    unsigned long e;
    bool first = true;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        message += first ? ": " : "; ";
        message += buf;
        first = false;
    }
    return make_error(std::move(code), std::move(message));
}

}  // namespace ballotbox::crypto
