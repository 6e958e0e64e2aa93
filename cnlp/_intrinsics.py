"""LLVM intrinsics for the Numba kernels: bit counts, cache prefetch hints and a float32 bit cast.

A prefetch is a hint only: it never faults, whatever the address, and never changes a result; it
lets the cache misses of table lookups (weight rows, trie hash slots) overlap with other work.
"""
from __future__ import annotations

from llvmlite import ir
from numba import types
from numba.extending import intrinsic


@intrinsic
def ctpop(typingctx, x):
    """Number of set bits of a uint64 (LLVM's ``ctpop``: one instruction on current CPUs)."""
    def codegen(context, builder, signature, args):
        fn = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(64)])
        return builder.call(fn, args)
    return types.uint64(types.uint64), codegen


def _prefetch_codegen(n_index):
    def codegen(context, builder, signature, args):
        from numba.core import cgutils
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        idx = [args[1]] + [context.get_constant(types.intp, 0)] * (n_index - 1)
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, idx, wraparound=False)
        i8p, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fn = builder.module.declare_intrinsic("llvm.prefetch", [i8p],
                                              ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]))
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()
    return codegen


@intrinsic
def prefetch(typingctx, arr, i):
    """Hint the CPU to fetch element ``i`` of the 1-D array ``arr`` into its caches."""
    return types.void(arr, types.intp), _prefetch_codegen(1)


@intrinsic
def prefetch_row(typingctx, arr, row):
    """Hint the CPU to fetch row ``row`` of the 2-D array ``arr`` into its caches."""
    return types.void(arr, types.intp), _prefetch_codegen(2)


@intrinsic
def float32_from_bits(typingctx, x):
    """The float32 whose IEEE bits are the low 32 bits of the unsigned integer ``x``."""
    if not isinstance(x, types.Integer):
        return None

    def codegen(context, builder, signature, args):
        v = args[0]
        if v.type.width > 32:
            v = builder.trunc(v, ir.IntType(32))
        elif v.type.width < 32:
            v = builder.zext(v, ir.IntType(32))
        return builder.bitcast(v, ir.FloatType())
    return types.float32(x), codegen
