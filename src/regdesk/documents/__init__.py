"""What several parts print: PDF building blocks and the embedded CJK font.

No part imports another part's document helpers: the ICP filing's verification form and the real-name rate report
both take their font from here.
"""
