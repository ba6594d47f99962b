#include "protocol/render/qr_matrix.h"

#include <qrencode.h>

#include <memory>

namespace ballotbox::protocol::render {

result<qr_matrix> encode_qr(std::string_view text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(text.size()),
                          reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return make_error("protocol.qr_too_large",
                          "The text (" + std::to_string(text.size()) +
                              " bytes) does not fit in one QR code at level M.");
    qr_matrix m;
    m.width = code->width;
    m.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
    for (std::size_t i = 0; i < m.dark.size(); ++i)
        m.dark[i] = (code->data[i] & 1) != 0;
    return m;
}

}  // namespace ballotbox::protocol::render
