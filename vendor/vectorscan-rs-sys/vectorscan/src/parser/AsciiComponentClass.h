/*
 * Copyright (c) 2015, Intel Corporation
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
 * \brief Character classes and their mnemonics.
 */

#ifndef ASCIICOMPONENTCLASS_H
#define ASCIICOMPONENTCLASS_H

#include "ComponentClass.h"
#include "util/charreach.h"

namespace ue2 {

class AsciiComponentClass : public ComponentClass {
    friend class ConstructLiteralVisitor;
    friend class DumpVisitor;
    friend class PrintVisitor;
    friend class CaselessVisitor;
    friend class SimplifyVisitor;
    friend class SimplifyCandidatesVisitor;
public:
    explicit AsciiComponentClass(const ParseMode &mode_in);
    ~AsciiComponentClass() override {}
    AsciiComponentClass *clone() const override;

    Component *accept(ComponentVisitor &v) override {
        Component *c = v.visit(this);
        v.post(this);
        return c;
    }

    void accept(ConstComponentVisitor &v) const override {
        v.pre(*this);
        v.during(*this);
        v.post(*this);
    }

    bool class_empty(void) const override;
    void add(PredefinedClass c, bool negative) override;
    void add(unichar c) override;
    void finalize(void) override;
    void notePositions(GlushkovBuildState &bs) override;
    void buildFollowSet(GlushkovBuildState &bs,
                        const std::vector<PositionInfo> &) override;
    std::vector<PositionInfo> first(void) const override;
    std::vector<PositionInfo> last(void) const override;

protected:
    void createRange(unichar to) override;

private:
    Position position;
    CharReach cr;

    // Private copy ctor. Use clone instead.
    AsciiComponentClass(const AsciiComponentClass &other)
        : ComponentClass(other), position(other.position), cr(other.cr) {}
};

} // namespace ue2

#endif // ASCIICOMPONENTCLASS_H
