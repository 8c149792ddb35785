#include "CRatesShims.h"
