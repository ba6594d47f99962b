// qr_matrix: a QR code (libqrencode, 8-bit mode, error correction level M) as a square
// matrix of dark/light modules, ready to be drawn.
//
// Pure function; thread-safe (libqrencode is reentrant for QRcode_encodeData).
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"

namespace ballotbox::protocol::render {

struct qr_matrix {
    int width = 0;           // modules per side
    std::vector<bool> dark;  // row-major, width * width
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

// Errors: "protocol.qr_too_large" (the text does not fit one code at level M).
result<qr_matrix> encode_qr(std::string_view text);

}  // namespace ballotbox::protocol::render
