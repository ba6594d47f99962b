// ballotbox-audit: `ballotbox audit` as its own program (docs/audit.md).
#include "audit/cli.h"

int main(int argc, char** argv) {
    return ballotbox::audit::run_audit(argc, argv);
}
