/*
 * Copyright (c) 2015-2020, Intel Corporation
 * Copyright (c) 2020-2021, VectorCamp PC
 * Copyright (c) 2021, Arm Limited
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 *  * Redistributions of source code must retain the above copyright notice,
 *    this list of conditions and the following disclaimer.
 *  * Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *  * Neither the name of Intel Corporation nor the names of its contributors
 *    may be used to endorse or promote products derived from this software
 *    without specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
 * AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT OWNER OR CONTRIBUTORS BE
 * LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF
 * SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS
 * INTERRUPTION) HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN
 * CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE)
 * ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
 * POSSIBILITY OF SUCH DAMAGE.
 */

/** \file
 * \brief Vermicelli: single-byte and double-byte acceleration.
 */

#ifndef VERMICELLI_HPP
#define VERMICELLI_HPP

#include "util/bitutils.h"

#ifdef HAVE_SVE2
#include "vermicelli_sve.h"
#else

#ifdef __cplusplus
extern "C" {
#endif
const u8 *vermicelliExec(char c, char noCase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *nvermicelliExec(char c, char noCase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *rvermicelliExec(char c, char nocase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *rnvermicelliExec(char c, char nocase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *vermicelliDoubleExec(char c1, char c2, char nocase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *rvermicelliDoubleExec(char c1, char c2, char nocase, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#ifdef __cplusplus
extern "C" {
#endif
const u8 *vermicelliDoubleMaskedExec(char c1, char c2, char m1, char m2, const u8 *buf, const u8 *buf_end);
#ifdef __cplusplus
}
#endif

#endif

#endif /* VERMICELLI_HPP */
