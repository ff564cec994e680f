"""Load the C++ runtime before regopy, so that C++ extensions imported after it do not abort.

regopy's library exports its own operator new/delete. If libstdc++ is first loaded as that library's
dependency, libstdc++ binds to them, and a C++ extension imported later (highspy, used by disclosure
control) frees memory with the other allocator: "free(): invalid pointer". Loaded first, it binds to its own.
"""

from __future__ import annotations

import ctypes
import ctypes.util

CXX_RUNTIME = ctypes.CDLL(ctypes.util.find_library("stdc++") or "libstdc++.so.6", mode=ctypes.RTLD_GLOBAL)
