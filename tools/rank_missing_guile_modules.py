import re,subprocess,sys,os,glob
mods=[l.strip() for l in open('stdlib/guile-modules.txt') if l.strip() and not l.startswith('#')]
# which are missing in schemy
out=subprocess.run(['.venv/bin/python','-c','''
import sys
from schemy.eval.interpreter import BUILTIN_MODULES, Interpreter
import os
mods=[l.strip() for l in open("stdlib/guile-modules.txt") if l.strip() and not l.startswith("#")]
it=Interpreter()
for m in mods:
    t=tuple(m.split())
    if t in BUILTIN_MODULES or it.find_module_file(t) or t in it.native_modules or t in it.native_loaders: continue
    print(m)
'''],capture_output=True,text=True)
missing=out.stdout.split('\n'); missing=[m for m in missing if m]
print(len(missing),'missing',file=sys.stderr)
texts=[]
for d in glob.glob('/tmp/corpus*'):
    for root,_,fs in os.walk(d):
        for f in fs:
            if f.endswith('.scm'):
                try: texts.append(open(os.path.join(root,f),errors='replace').read())
                except: pass
repo='/work/.mirror/kromka-chleba+guix/repo'
gtexts=[]
if os.path.isdir(repo):
    files=subprocess.run(['git','-C',repo,'ls-tree','-r','--name-only','HEAD','--','gnu/services','gnu/home','gnu/system','guix'],capture_output=True,text=True).stdout.split()
    for f in files:
        if f.endswith('.scm'):
            gtexts.append(subprocess.run(['git','-C',repo,'show','HEAD:'+f],capture_output=True,text=True).stdout)
res=[]
for m in missing:
    pat=re.compile(r'\('+re.escape(m).replace(r'\ ',r'\s+')+r'\)')
    c=sum(1 for t in texts if pat.search(t)); g=sum(1 for t in gtexts if pat.search(t))
    res.append((c,g,m))
res.sort(key=lambda r:(-r[0]-r[1]))
print(len(texts),'corpus files',len(gtexts),'guix files')
for c,g,m in res:
    if c or g: print(c,g,m)
