/*
 * tfm-compat/cmsis_compiler.h - the compiler abstraction names of CMSIS-Core that partition
 * code uses, for a GCC or Clang host build: storage classes, attributes and barriers. No
 * Cortex-M intrinsics (registers, exclusive access): partition code that needs them is not
 * portable to a host and should not compile here.
 */
#ifndef FFMSIM_TFM_COMPAT_CMSIS_COMPILER_H
#define FFMSIM_TFM_COMPAT_CMSIS_COMPILER_H

#if !defined(__GNUC__) && !defined(__clang__)
#error "tfm-compat/cmsis_compiler.h supports GCC and Clang"
#endif

#ifndef __ASM
#define __ASM __asm__
#endif
#ifndef __INLINE
#define __INLINE inline
#endif
#ifndef __STATIC_INLINE
#define __STATIC_INLINE static inline
#endif
#ifndef __STATIC_FORCEINLINE
#define __STATIC_FORCEINLINE __attribute__((always_inline)) static inline
#endif
#ifndef __NO_RETURN
#define __NO_RETURN __attribute__((__noreturn__))
#endif
#ifndef __USED
#define __USED __attribute__((used))
#endif
#ifndef __WEAK
#define __WEAK __attribute__((weak))
#endif
#ifndef __PACKED
#define __PACKED __attribute__((packed, aligned(1)))
#endif
#ifndef __PACKED_STRUCT
#define __PACKED_STRUCT struct __attribute__((packed, aligned(1)))
#endif
#ifndef __PACKED_UNION
#define __PACKED_UNION union __attribute__((packed, aligned(1)))
#endif
#ifndef __ALIGNED
#define __ALIGNED(x) __attribute__((aligned(x)))
#endif
#ifndef __RESTRICT
#define __RESTRICT __restrict
#endif
#ifndef __UNUSED
#define __UNUSED __attribute__((unused))
#endif

/* Barriers: the compiler's, and a full host fence for the Cortex-M ordering instructions. */
#ifndef __COMPILER_BARRIER
#define __COMPILER_BARRIER() __asm__ volatile("" ::: "memory")
#endif
#ifndef __DSB
#define __DSB() __sync_synchronize()
#endif
#ifndef __DMB
#define __DMB() __sync_synchronize()
#endif
#ifndef __ISB
#define __ISB() __sync_synchronize()
#endif

#endif /* FFMSIM_TFM_COMPAT_CMSIS_COMPILER_H */
